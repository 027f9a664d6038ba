from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from itsms.shared.views import OrganizationMixin

from .. import permissions as audit_permissions
from ..models import Audit


class AuditMixin(OrganizationMixin):
    """An audit of the organisation, found through the scoped queryset.

    Auditors who are not members see only the audits they are assigned to.
    """

    audit_kwarg = "pk"

    def audits(self):
        qs = self.scoped(Audit)
        if getattr(self.membership, "pk", None) is None:
            qs = qs.filter(
                assignments__user=self.request.user, assignments__ended_at__isnull=True
            ).distinct()
        return qs

    def get_audit(self):
        if not hasattr(self, "_audit"):
            self._audit = get_object_or_404(
                self.audits().select_related("certification_body", "audit_guide"),
                pk=self.kwargs[self.audit_kwarg],
            )
        return self._audit

    def require(self, allowed: bool):
        if not allowed:
            raise PermissionDenied

    def audit_context(self, audit):
        user = self.request.user
        may_manage = audit_permissions.may_manage(self.membership)
        may_record = audit_permissions.may_record(user, audit)
        return {
            "audit": audit,
            "may_manage": may_manage,
            "may_record": may_record,
            "may_lead": audit_permissions.may_lead(user, self.membership, audit),
            # permissions.may_take_pack, from the two answers above (no query of its own)
            "may_take_pack": may_manage or may_record,
        }
