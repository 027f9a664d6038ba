import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$",
    _("Use 1–50 lower-case letters, digits and hyphens; start and end with a letter or digit."),
)
# Slugs that would collide with fixed URLs or confuse users.
RESERVED_SLUGS = frozenset({"new", "admin", "api", "static", "media", "invitations", "switch"})


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def time_zone_choices():
    return [(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz or tz == "UTC"]


class Role(models.TextChoices):
    """The five organisation roles; what each may do is in ``itsms.shared.permissions``."""

    CONSULTANT = "consultant", _("Consultant")
    ADMIN = "admin", _("Admin")
    CONTRIBUTOR = "contributor", _("Contributor")
    AUDITOR = "auditor", _("Auditor")
    VIEWER = "viewer", _("Viewer")


class OrganizationQuerySet(models.QuerySet):
    def with_role_of(self, user):
        """Annotate ``my_role``: the user's role in each organisation (one query in all)."""
        role = Membership.objects.filter(organization=models.OuterRef("pk"), user=user).values(
            "role"
        )[:1]
        return self.annotate(my_role=models.Subquery(role)).order_by("name")


class Organization(models.Model):
    """A tenant: one client organisation working towards (or keeping) its certificate."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=50,
        unique=True,
        validators=[SLUG_VALIDATOR],
        help_text=_("Short name used in addresses, e.g. eastern-harbour-bank."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Deadlines are computed in this time zone."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    scope = models.TextField(
        _("SMS scope statement"),
        blank=True,
        help_text=_("The services and locations the service management system covers."),
    )
    require_mfa = models.BooleanField(
        _("members must use a second factor"),
        default=False,
        db_default=False,  # rows written by older code (migrations) get it too
        help_text=_(
            "Everyone who opens this organisation must have an authenticator app or a security "
            "key; who has none is taken to set one up first."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="organization_slug_ci_unique"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.slug and self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This slug is reserved; choose another.")})

    @property
    def zoneinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_today(self):
        """Today's date in the organisation's time zone: the basis of every deadline."""
        return timezone.localtime(timezone.now(), self.zoneinfo).date()


class TenantQuerySet(models.QuerySet):
    """The queryset of every tenant model. ``restrict`` is the one scoping method: pages, the
    API, choices, tasks and emails reach tenant rows through it."""

    def restrict(self, user, action: str = "view"):
        """The rows ``user`` may ``action`` ("view", "add", "change", "delete", or a model's
        own action): their organisations by role, then the model's named object rules."""
        # The policies live with the roles in the permissions module, which reads the models:
        # imported when called, so the models never depend on it at import time.
        from itsms.shared.permissions import restriction

        return self.filter(restriction(self.model, user, action))


class TenantModel(models.Model):
    """Base of every tenant-owned model: a non-null organisation, reached through it.

    Its manager offers ``restrict(user, action)`` (``TenantQuerySet``); a model with a
    queryset of its own subclasses ``TenantQuerySet``.
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class Membership(TenantModel):
    """A user's role in one organisation. Org-level rights follow from the role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="membership_one_per_user_and_org"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} · {self.get_role_display()}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(TenantQuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def by_token(self, token: str):
        return self.filter(token_hash=_hash_token(token))


class Invitation(TenantModel):
    """An emailed, expiring, single-use offer of a role in an organisation.

    Only the SHA-256 of the token is stored, so a database leak does not leak
    usable links.
    """

    #: An imported copy never shares a live link with the original (itsms.archive).
    archive_regenerate = ("token_hash",)

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="invitation_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organization} ({self.get_role_display()})"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """A fresh URL-safe token and the hash to store."""
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)

    @property
    def is_accepted(self):
        return self.accepted_at is not None

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def status(self):
        if self.is_accepted:
            return "accepted"
        if self.is_revoked:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "pending"

    def get_status_display(self):
        return {
            "accepted": _("Accepted"),
            "revoked": _("Revoked"),
            "expired": _("Expired"),
            "pending": _("Pending"),
        }[self.status]
