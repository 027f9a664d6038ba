from django.db import models
from django.utils.translation import gettext_lazy as _


class Standard(models.Model):
    """A management-system standard whose clause numbers and titles we ship as reference data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    is_primary = models.BooleanField(
        _("primary standard"),
        default=False,
        help_text=_("The standard organisations are assessed against (ISO/IEC 20000-1:2018)."),
    )
    order = models.PositiveSmallIntegerField(default=0)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["order"]

    def __str__(self):
        return self.name


class ClauseQuerySet(models.QuerySet):
    def of(self, code: str):
        return self.filter(standard__code=code)


class Clause(models.Model):
    """A numbered clause heading of a standard. Never the standard's requirement text."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="clauses"
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("order"), help_text=_("Position in the tree."))
    depth = models.PositiveSmallIntegerField(_("depth"), default=1)
    guidance = models.TextField(_("guidance"), blank=True)
    guidance_zh_hans = models.TextField(_("guidance (Simplified Chinese)"), blank=True)
    is_process = models.BooleanField(
        _("process"),
        default=False,
        help_text=_("One of the 13 processes of ISO/IEC 20000-1:2011."),
    )
    group = models.CharField(_("group"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    title_inferred = models.BooleanField(default=False)
    crosswalk_relation = models.CharField(
        _("harmonized-structure relation"),
        max_length=40,
        blank=True,
        help_text=_(
            "How the clause relates to ISO/IEC 27001 / ISO 9001, where the crosswalk says."
        ),
    )
    new_in_edition = models.BooleanField(
        _("new in this edition"),
        default=False,
        help_text=_("No predecessor in the previous edition (ISO/IEC 20000-1:2011)."),
    )

    objects = ClauseQuerySet.as_manager()

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["standard__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="clause_unique_number"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_leaf(self):
        return not self.children.exists()

    def localized_guidance(self, language_code: str | None):
        if language_code and language_code.lower().startswith("zh") and self.guidance_zh_hans:
            return self.guidance_zh_hans
        return self.guidance


class ClauseCorrelation(models.Model):
    """A link from an ISO/IEC 20000-1:2018 clause to a clause of another standard."""

    class Kind(models.TextChoices):
        PREDECESSOR = "predecessor", _("Replaces (ISO/IEC 20000-1:2011)")
        HARMONIZED = "harmonized", _("Corresponds (harmonized structure)")

    clause = models.ForeignKey(
        Clause, on_delete=models.CASCADE, related_name="correlations", verbose_name=_("clause")
    )
    other = models.ForeignKey(
        Clause,
        on_delete=models.CASCADE,
        related_name="correlated_from",
        verbose_name=_("corresponding clause"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    relation = models.CharField(_("relation"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    inferred = models.BooleanField(
        _("inferred"),
        default=False,
        help_text=_("The project's own mapping, not an official correlation table."),
    )

    class Meta:
        verbose_name = _("clause correlation")
        verbose_name_plural = _("clause correlations")
        ordering = ["other__standard__order", "other__order"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "other"], name="correlation_unique_pair"),
        ]

    def __str__(self):
        return f"{self.clause.number} ↔ {self.other.standard.code} {self.other.number}"
