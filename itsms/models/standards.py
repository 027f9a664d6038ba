from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

#: Languages the reference data is stored in, as field suffixes (``title_en``, ``title_zh_hans``).
REFERENCE_LANGUAGES = ("en", "zh_hans")


def reference_language(language_code: str | None = None) -> str:
    """The field suffix for ``language_code`` (default: the active language): "en" or "zh_hans"."""
    code = (language_code or get_language() or settings.LANGUAGE_CODE).lower()
    return "zh_hans" if code.startswith("zh") else "en"


class Translated:
    """The one place that picks the active language for reference text.

    ``title = Translated()`` on a model with ``title_en`` and ``title_zh_hans`` columns reads the
    column of the active language (``translation.override`` or the request's language), falling
    back to English where no translation is stored. Every page, PDF, email and export that prints
    ``clause.title`` therefore speaks the reader's language without knowing about it.
    """

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return translated(obj, self.name)


def translated(obj, name: str, language_code: str | None = None) -> str:
    """``obj.<name>`` in ``language_code`` (default: the active language), else in English."""
    suffix = reference_language(language_code)
    return getattr(obj, f"{name}_{suffix}", "") or getattr(obj, f"{name}_en", "")


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

    def get_by_natural_key(self, code: str, number: str):
        """A clause by its standard's code and its number: how an organisation archive names
        reference data across instances (``itsms.archive``)."""
        return self.get(standard__code=code, number=number)


class Clause(models.Model):
    """A numbered clause heading of a standard. Never the standard's requirement text.

    ``title``, ``guidance`` and ``note`` read the active language (see ``Translated``); the
    columns are ``title_en`` / ``title_zh_hans`` and so on. ``research_note`` records how the
    heading was sourced: it stays in the data and out of every page and API response.
    """

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="clauses"
    )
    number = models.CharField(_("number"), max_length=20)
    title_en = models.CharField(_("title"), max_length=200, blank=True)
    title_zh_hans = models.CharField(
        _("title (Simplified Chinese)"),
        max_length=200,
        blank=True,
        help_text=_("This project's own translation of the heading."),
    )
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
    guidance_en = models.TextField(_("guidance"), blank=True)
    guidance_zh_hans = models.TextField(_("guidance (Simplified Chinese)"), blank=True)
    is_process = models.BooleanField(
        _("process"),
        default=False,
        help_text=_("One of the 13 processes of ISO/IEC 20000-1:2011."),
    )
    group = models.CharField(_("group"), max_length=100, blank=True)
    note_en = models.TextField(_("note"), blank=True)
    note_zh_hans = models.TextField(_("note (Simplified Chinese)"), blank=True)
    research_note = models.TextField(
        _("research note"),
        blank=True,
        help_text=_("How the heading was sourced. Internal: never shown on pages or in the API."),
    )
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

    title = Translated()
    guidance = Translated()
    note = Translated()

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

    def natural_key(self) -> tuple[str, str]:
        return (self.standard.code, self.number)

    natural_key.dependencies = ["itsms.standard"]

    @property
    def is_leaf(self):
        return not self.children.exists()

    @property
    def title_bilingual(self) -> str:
        """Both headings in Chinese ("事件管理 · Incident management"), else the English one."""
        title = self.title
        if title and self.title_en and title != self.title_en:
            return f"{title} · {self.title_en}"
        return title

    def localized_guidance(self, language_code: str | None = None) -> str:
        return translated(self, "guidance", language_code)


class ClauseCorrelation(models.Model):
    """A link from an ISO/IEC 20000-1:2018 clause to a clause of another standard."""

    class Kind(models.TextChoices):
        PREDECESSOR = "predecessor", _("Replaces (ISO/IEC 20000-1:2011)")
        HARMONIZED = "harmonized", _("Corresponds (harmonized structure)")

    class Relation(models.TextChoices):
        """How a harmonized-structure correspondence holds, in plain words."""

        SAME = "same", _("same clause")
        SAME_TOPIC = "same-topic", _("same topic, not subdivided there")
        PARTIAL = "partial", _("overlaps in part")
        DIFFERENT_NUMBER = "different-number", _("same topic under another number")

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
    relation = models.CharField(_("relation"), max_length=40, blank=True, choices=Relation.choices)
    note_en = models.TextField(_("note"), blank=True)
    note_zh_hans = models.TextField(_("note (Simplified Chinese)"), blank=True)
    research_note = models.TextField(
        _("research note"),
        blank=True,
        help_text=_("The crosswalk's own remarks. Internal: never shown on pages or in the API."),
    )
    inferred = models.BooleanField(
        _("inferred"),
        default=False,
        help_text=_("The project's own mapping, not an official correlation table."),
    )

    note = Translated()

    class Meta:
        verbose_name = _("clause correlation")
        verbose_name_plural = _("clause correlations")
        ordering = ["other__standard__order", "other__order"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "other"], name="correlation_unique_pair"),
        ]

    def __str__(self):
        return f"{self.clause.number} ↔ {self.other.standard.code} {self.other.number}"


class EditionChange(models.Model):
    """One thing that changed from ISO/IEC 20000-1:2011 to 2018, in the project's own words.

    Reference data (``standards/reference/changes_2018.json``), linked to the clauses it concerns
    in both editions; shown on the "What changed in 2018" page and on those clauses.
    """

    class Topic(models.TextChoices):
        STRUCTURE = "structure", _("Structure")
        TERMINOLOGY = "terminology", _("Terminology")
        DOCUMENTED_INFORMATION = (
            "documented-information",
            _("Less mandatory documented information"),
        )
        SEPARATED = "separated", _("Clauses separated")
        PORTFOLIO = "portfolio", _("The service portfolio")
        NEW = "new", _("New areas")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title"), max_length=200)
    title_zh_hans = models.CharField(_("title (Simplified Chinese)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary"))
    summary_zh_hans = models.TextField(_("summary (Simplified Chinese)"), blank=True)
    clauses = models.ManyToManyField(
        Clause, verbose_name=_("clauses"), related_name="edition_changes", blank=True
    )

    title = Translated()
    summary = Translated()

    class Meta:
        verbose_name = _("change in the 2018 edition")
        verbose_name_plural = _("changes in the 2018 edition")
        ordering = ["order"]

    def __str__(self):
        return self.title_en
