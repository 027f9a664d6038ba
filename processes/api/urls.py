"""API routes of the processes app (namespace ``processes-api``)."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "processes-api"

router = DefaultRouter()
router.include_root_view = False  # the core's router already serves the API root
router.register("process-catalogue", views.ProcessCatalogueViewSet, basename="process-catalogue")
router.register("processes", views.ProcessInstanceViewSet, basename="process")
router.register("kpis", views.KpiViewSet, basename="kpi")
router.register("kpi-values", views.KpiValueViewSet, basename="kpi-value")
router.register("services", views.ServiceViewSet, basename="service")

urlpatterns = router.urls
