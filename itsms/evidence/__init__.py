"""Evidence (documented information, clause 7.5): uploads checked by content, versions,
document control, soft delete, verified downloads, expiry."""
