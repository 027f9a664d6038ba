"""Pages of API lists: ``?page=`` is a whole number from 1, or the request answers 400."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination

#: Digits a page number may have (a page past the last answers 404, as DRF does).
PAGE_MAX = 10**18 - 1
PAGE_NUMBER = re.compile(r"[0-9]{1,18}")


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, with a malformed ``page`` refused (400) instead of ignored."""

    invalid_page_message = _("No such page.")

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw == "":
            return 1
        if raw in self.last_page_strings:
            return raw
        if not PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_query_param: [_("A page is a whole number from 1.")]}
            )
        return raw

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": PAGE_MAX}
        return parameters
