from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import TenantModel

from .. import checklist

STEP_TITLES = {
    1: _("Preparation"),
    2: _("Initial assessment and planning"),
    3: _("Closing the gap"),
    4: _("Audit preparation"),
    5: _("Certification audit"),
    6: _("Maintaining the certificate"),
}


class ChecklistTemplateItem(models.Model):
    """The checklist every new project starts from (the seed); site admins edit it."""

    step = models.PositiveSmallIntegerField(_("step"), choices=list(STEP_TITLES.items()))
    text = models.CharField(_("item"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.CharField(
        _("seed key"),
        max_length=10,
        blank=True,
        help_text=_("The seed item this row comes from (translated while its text is unchanged)."),
    )

    class Meta:
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")
        ordering = ["step", "order", "pk"]

    def __str__(self):
        return f"{self.step}. {self.label}"

    @property
    def label(self) -> str:
        return checklist.label(self.key, self.text)


class CertificationProject(TenantModel):
    """The organisation's way to the certificate: six steps, each with its checklist."""

    certification_body = models.ForeignKey(
        "audits.CertificationBody",
        verbose_name=_("certification body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_stage1 = models.DateField(_("target date of stage 1"), null=True, blank=True)
    target_certificate = models.DateField(
        _("target date of the certificate"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification project")
        verbose_name_plural = _("certification projects")
        constraints = [models.UniqueConstraint(fields=["organization"], name="one_project_per_org")]

    def __str__(self):
        return str(self.organization)


class ProjectStep(TenantModel):
    project = models.ForeignKey(
        CertificationProject, on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(_("step"), choices=list(STEP_TITLES.items()))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project step")
        verbose_name_plural = _("project steps")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_step_per_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def title(self):
        return STEP_TITLES[self.number]


class ChecklistItem(TenantModel):
    step = models.ForeignKey(ProjectStep, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("item"), max_length=300)
    key = models.CharField(max_length=10, blank=True, editable=False)  # the seed item, if any
    order = models.PositiveSmallIntegerField(default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["step__number", "order", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The text in the reader's language while it is the seed's; else as written."""
        return checklist.label(self.key, self.text)

    @property
    def done(self):
        return self.done_at is not None
