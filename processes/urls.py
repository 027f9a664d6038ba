"""Pages of the processes app (namespace ``processes``)."""

from django.urls import path

from .views import kpis, portfolio, processes

app_name = "processes"

org = "o/<slug:org_slug>/"

urlpatterns = [
    path("processes/catalogue/", processes.CatalogueView.as_view(), name="catalogue"),
    path(org + "processes/", processes.ProcessListView.as_view(), name="process_list"),
    path(
        org + "processes/<int:pk>/",
        processes.ProcessDetailView.as_view(),
        name="process_detail",
    ),
    path(
        org + "processes/<int:pk>/edit/",
        processes.ProcessEditView.as_view(),
        name="process_edit",
    ),
    path(org + "processes/<int:pk>/kpis/new/", kpis.KpiCreateView.as_view(), name="kpi_create"),
    path(org + "kpis/<int:pk>/edit/", kpis.KpiEditView.as_view(), name="kpi_edit"),
    path(org + "kpis/<int:pk>/delete/", kpis.KpiDeleteView.as_view(), name="kpi_delete"),
    path(org + "kpis/<int:pk>/values/", kpis.KpiValueCreateView.as_view(), name="kpi_value_create"),
    path(
        org + "kpi-values/<int:pk>/delete/",
        kpis.KpiValueDeleteView.as_view(),
        name="kpi_value_delete",
    ),
    path(org + "services/", portfolio.ServiceListView.as_view(), name="service_list"),
    path(org + "services/new/", portfolio.ServiceCreateView.as_view(), name="service_create"),
    path(
        org + "services/catalogue/",
        portfolio.ServiceCatalogueView.as_view(),
        name="service_catalogue",
    ),
    path(
        org + "services/catalogue.csv",
        portfolio.ServiceCatalogueCsvView.as_view(),
        name="service_catalogue_csv",
    ),
    path(org + "services/<int:pk>/", portfolio.ServiceDetailView.as_view(), name="service_detail"),
    path(org + "services/<int:pk>/edit/", portfolio.ServiceEditView.as_view(), name="service_edit"),
]
