"""The documented information of clause 7.5.4 as a checklist per organisation.

``DocumentRequirement`` is reference data (the same for every organisation, in English and
Simplified Chinese, loaded by migration from ``sms/reference/documents_7_5_4.json``). Each
organisation has one ``DocumentChecklistItem`` per requirement, linked to the evidence items
that are that document; it is present when one of them counts (approved, not expired, not
deleted: ``Evidence.objects.counting``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsms.models import Clause, TenantModel
from itsms.models.standards import Translated


class DocumentRequirementManager(models.Manager):
    def get_by_natural_key(self, key: str):
        """A required document by its key: how an organisation archive names reference data
        across instances (``itsms.archive``)."""
        return self.get(key=key)


class DocumentRequirement(models.Model):
    """One document the SMS documented information of 7.5.4 includes (reference data)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    clause = models.ForeignKey(
        Clause,
        verbose_name=_("clause"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The clause that asks for the document."),
    )
    item = models.CharField(
        _("item of 7.5.4"), max_length=4, blank=True, help_text=_("a) … l), where it is one.")
    )
    title_en = models.CharField(_("title"), max_length=200)
    title_zh_hans = models.CharField(_("title (Simplified Chinese)"), max_length=200)
    guidance_en = models.TextField(_("guidance"), blank=True)
    guidance_zh_hans = models.TextField(_("guidance (Simplified Chinese)"), blank=True)

    title = Translated()
    guidance = Translated()

    objects = DocumentRequirementManager()

    class Meta:
        verbose_name = _("7.5.4 document")
        verbose_name_plural = _("7.5.4 documents")
        ordering = ["order"]

    def __str__(self):
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.key,)


class DocumentState(models.TextChoices):
    PRESENT = "present", _("Present and approved")
    NOT_APPROVED = "not_approved", _("Linked, not approved")
    MISSING = "missing", _("Missing")


class DocumentChecklistItem(TenantModel):
    """One organisation's document for one requirement of 7.5.4: the evidence that is it."""

    requirement = models.ForeignKey(
        DocumentRequirement,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    evidence = models.ManyToManyField(
        "itsms.Evidence", verbose_name=_("evidence"), blank=True, related_name="sms_documents"
    )
    note = models.TextField(_("note"), blank=True)
    links = models.JSONField(_("links"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("7.5.4 checklist item")
        verbose_name_plural = _("7.5.4 checklist")
        ordering = ["requirement__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "requirement"], name="sms_document_one_per_requirement"
            )
        ]

    def __str__(self):
        return str(self.requirement)

    @staticmethod
    def state_of(linked: int, counting: int) -> str:
        """Present when one linked evidence item counts; linked but none counting; missing."""
        if counting:
            return DocumentState.PRESENT
        if linked:
            return DocumentState.NOT_APPROVED
        return DocumentState.MISSING
