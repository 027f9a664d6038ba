def _seed_template_if_empty():
    """Re-seed the checklist template (tests that flush the database call this)."""
    from importlib import import_module

    from certification.models import ChecklistTemplateItem

    import_module("certification.migrations.0002_checklist_template")._seed(ChecklistTemplateItem)
