"""Evidence pages: the register and its CSV export, upload (many files, with progress), an item
with its versions, document control, soft delete and restore, verified downloads."""

from .items import (
    EvidenceDeleteView,
    EvidenceDetailView,
    EvidenceDownloadView,
    EvidenceEditView,
    EvidenceRestoreView,
    EvidenceTransitionView,
    EvidenceVersionDownloadView,
    EvidenceVersionUploadView,
)
from .register import EvidenceExportView, EvidenceListView
from .upload import EvidenceUploadView

__all__ = [
    "EvidenceDeleteView",
    "EvidenceDetailView",
    "EvidenceDownloadView",
    "EvidenceEditView",
    "EvidenceExportView",
    "EvidenceListView",
    "EvidenceRestoreView",
    "EvidenceTransitionView",
    "EvidenceUploadView",
    "EvidenceVersionDownloadView",
    "EvidenceVersionUploadView",
]
