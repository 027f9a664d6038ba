"""Pages of the SMS records (namespace ``sms``), under ``/o/<org>/sms/``.

Every register has the same five pages (``<name>_list``, ``_csv``, ``_create``, ``_detail``,
``_edit``) under its key, made by ``register_pages``; its extra pages follow.
"""

from django.urls import path

from .views import documents, improvements, objectives, overview, risks, suppliers

app_name = "sms"

org = "o/<slug:org_slug>/sms/"


def register_pages(key, name, *, list_view, csv_view, create_view, detail_view, edit_view):
    return [
        path(f"{org}{key}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{org}{key}.csv", csv_view.as_view(), name=f"{name}_csv"),
        path(f"{org}{key}/new/", create_view.as_view(), name=f"{name}_create"),
        path(f"{org}{key}/<int:pk>/", detail_view.as_view(), name=f"{name}_detail"),
        path(f"{org}{key}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"),
    ]


urlpatterns = [
    path(org, overview.OverviewView.as_view(), name="overview"),
    path(f"{org}settings/", overview.SettingsView.as_view(), name="settings"),
    *register_pages(
        "risks",
        "risk",
        list_view=risks.RiskListView,
        csv_view=risks.RiskCsvView,
        create_view=risks.RiskCreateView,
        detail_view=risks.RiskDetailView,
        edit_view=risks.RiskEditView,
    ),
    path(f"{org}risks/heat-map/", risks.RiskHeatMapView.as_view(), name="risk_heatmap"),
    path(
        f"{org}risks/<int:pk>/actions/new/",
        risks.ActionCreateView.as_view(),
        name="action_create",
    ),
    path(f"{org}risk-actions/<int:pk>/edit/", risks.ActionEditView.as_view(), name="action_edit"),
    *register_pages(
        "objectives",
        "objective",
        list_view=objectives.ObjectiveListView,
        csv_view=objectives.ObjectiveCsvView,
        create_view=objectives.ObjectiveCreateView,
        detail_view=objectives.ObjectiveDetailView,
        edit_view=objectives.ObjectiveEditView,
    ),
    *register_pages(
        "suppliers",
        "supplier",
        list_view=suppliers.SupplierListView,
        csv_view=suppliers.SupplierCsvView,
        create_view=suppliers.SupplierCreateView,
        detail_view=suppliers.SupplierDetailView,
        edit_view=suppliers.SupplierEditView,
    ),
    path(
        f"{org}suppliers/<int:pk>/clauses/",
        suppliers.SupplierClausesView.as_view(),
        name="supplier_clauses",
    ),
    *register_pages(
        "agreements",
        "agreement",
        list_view=suppliers.AgreementListView,
        csv_view=suppliers.AgreementCsvView,
        create_view=suppliers.AgreementCreateView,
        detail_view=suppliers.AgreementDetailView,
        edit_view=suppliers.AgreementEditView,
    ),
    path(
        f"{org}agreements/<int:pk>/reviews/new/",
        suppliers.ReviewCreateView.as_view(),
        name="review_create",
    ),
    *register_pages(
        "improvements",
        "improvement",
        list_view=improvements.ImprovementListView,
        csv_view=improvements.ImprovementCsvView,
        create_view=improvements.ImprovementCreateView,
        detail_view=improvements.ImprovementDetailView,
        edit_view=improvements.ImprovementEditView,
    ),
    path(f"{org}documents/", documents.ChecklistView.as_view(), name="checklist"),
    path(f"{org}documents.csv", documents.ChecklistCsvView.as_view(), name="checklist_csv"),
    path(
        f"{org}documents/<int:pk>/edit/",
        documents.ChecklistItemEditView.as_view(),
        name="checklist_item_edit",
    ),
]
