"""The API's token endpoint: a password exchanged for the user's token, except where an
organisation of the user requires a second factor (the token is then made on the account page,
right after a second-factor step)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from itsms.shared import permissions


class ObtainTokenView(ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if permissions.organizations_requiring_mfa(serializer.validated_data["user"]):
            raise exceptions.PermissionDenied(
                _(
                    "An organisation of yours requires a second factor: create your token on "
                    "your account page, right after confirming it."
                )
            )
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
