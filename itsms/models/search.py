from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantModel


class SearchDocument(TenantModel):
    """One searchable object of an organisation, as the search index holds it.

    Written only by ``itsms.search.services`` (signals of each app's registered kinds, and the
    ``rebuild_search_index`` command); read only by ``itsms.search.selectors``. ``title`` and
    ``body`` keep the text as written (for display, snippets and highlighting); the ``*_tokens``
    columns hold the same text language-normalised (``itsms.search.analysis``: English words
    with their stems, Chinese segmented by jieba, clause numbers as one token), which the
    full-text index reads: an FTS5 table kept in sync by triggers on SQLite, a generated
    ``tsvector`` column with a GIN index on PostgreSQL (migration ``0012_search``).
    """

    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object"))
    #: the object's parent where its page needs it (a finding's audit)
    parent_id = models.PositiveBigIntegerField(null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=400)
    body = models.TextField(_("text"), blank=True)
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    updated_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "object_id"], name="one_search_document_per_object"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"
