"""The audit pack: what the certification body takes away from one audit (issue 16, point 3).

A ZIP with the audit report PDF, the audit plan PDF, the findings and corrective actions as a
workbook, every evidence version sampled or linked in the audit (the very version that was
live when it was sampled, ``FindingEvidence`` / ``ActionEvidence``), and a signed manifest
listing each file with its SHA-256 and the version's recorded hash
(``itsms.shared.manifests``). A file whose stored bytes no longer match their recorded hash is
left out and listed as failed.

- ``contents``: what goes in (the sampled versions, in two queries);
- ``workbook``: the findings workbook (openpyxl, write-only: rows streamed to disk);
- ``build``: writes the ZIP to a temporary file, then into the default storage;
- ``services``: the request (who may, one build at a time) and the build's bookkeeping.

The Celery task is ``audits.tasks.build_audit_pack``; the pages are ``audits/views/packs.py``.
"""
