from django.contrib import admin

from .models import ChecklistTemplateItem


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin):
    """The checklist every new certification project starts from (the seed's six steps)."""

    list_display = ["step", "order", "key", "text"]
    list_display_links = ["text"]
    list_editable = ["order"]
    list_filter = ["step"]
    ordering = ["step", "order"]
