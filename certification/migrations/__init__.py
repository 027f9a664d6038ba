def _seed_template_if_empty():
    """Re-seed the checklist template (tests that flush the database call this)."""
    from certification.checklist import SEED, order_of, step_of
    from certification.models import ChecklistTemplateItem

    if ChecklistTemplateItem.objects.exists():
        return
    ChecklistTemplateItem.objects.bulk_create(
        ChecklistTemplateItem(step=step_of(key), order=order_of(key), key=key, text=text)
        for key, text in SEED.items()
    )
