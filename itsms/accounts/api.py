"""``POST /api/v1/auth/token/``: exchange an email and password for a new, named, expiring token.

Sign-in rules are the page's: the email matches whatever its case, and django-axes counts each
failure (per account and address, and per address across accounts); once locked out the
endpoint answers 429 with the page's message. A user in an organisation that requires a second
factor gets no token here (403): they make it on the account page, right after a second-factor
step.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from itsms.shared import permissions

from . import tokens
from .lockout import lockout_message


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.EmailField(help_text=_("Your email address (any case)."))
    password = serializers.CharField(
        trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )
    name = serializers.CharField(
        required=False,
        max_length=tokens.NAME_MAX_LENGTH,
        help_text=_("What the token is for, as listed on your account page."),
    )
    expires_in_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        help_text=_("Days until the token expires (default %(days)d).")
        % {"days": settings.API_TOKEN_DEFAULT_DAYS},
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("The key: send it as `Authorization: Token <key>`."))
    name = serializers.CharField()
    expiry = serializers.DateTimeField()


class ObtainTokenView(APIView):
    """A new API token for the user whose email and password are sent; the key is shown once."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        payload = TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        user = authenticate(
            request=request._request, username=data["username"], password=data["password"]
        )
        if getattr(request._request, "axes_locked_out", False):
            return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to sign in with this email and password.")]}
            )
        if permissions.organizations_requiring_mfa(user):
            raise exceptions.PermissionDenied(
                _(
                    "An organisation of yours requires a second factor: create your token on "
                    "your account page, right after confirming it."
                )
            )
        token, key = tokens.api_token_create(
            user=user, name=data.get("name") or _("API"), days=data.get("expires_in_days")
        )
        return Response({"token": key, "name": token.name, "expiry": token.expiry})
