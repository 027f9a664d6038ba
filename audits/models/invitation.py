from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from itsms.models import TenantModel

from .audit import Audit, AuditAssignment


class AuditInvitation(TenantModel):
    """An invitation of an external auditor to one audit. Only the token's hash is stored."""

    #: An imported copy never shares a live link with the original (itsms.archive).
    archive_regenerate = ("token_hash",)

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(gettext_lazy("email address"))
    role = models.CharField(max_length=10, choices=AuditAssignment.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("audit invitation")
        verbose_name_plural = gettext_lazy("audit invitations")

    def __str__(self):
        return f"{self.email} → {self.audit}"

    @property
    def usable(self):
        return self.accepted_at is None and self.expires_at > timezone.now()
