"""The organisation archive (issue 16, point 4): data portability and backup.

An admin or consultant exports everything of one organisation — every row of every tenant
model (found in the app registry: ``registry``), their history, their many-to-many links and
object permissions, and every file — as one signed ZIP with a manifest of SHA-256 sums and a
format version (``export``), built by the Celery task ``itsms.archive.tasks.build_archive``.
A site admin imports it into another instance (``restore``; ``manage.py
import_organization``): people matched by email, ids remapped, clauses matched by standard
code and number.
"""
