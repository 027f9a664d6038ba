"""Saving with history: every service of every app saves a row through ``save_recorded``, so
django-simple-history records who made each change (before/after come with the record)."""


def save_recorded(instance, actor):
    """Validate and save ``instance``, recording ``actor`` in its history. Every app's services
    save through this."""
    instance._history_user = actor
    instance.full_clean()
    instance.save()
    return instance
