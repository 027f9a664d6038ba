"""API routes of the SMS records (namespace ``sms-api``)."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "sms-api"

router = DefaultRouter()
router.include_root_view = False  # the core's router already serves the API root
router.register("risks", views.RiskViewSet, basename="risk")
router.register("risk-actions", views.TreatmentActionViewSet, basename="risk-action")
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("suppliers", views.SupplierViewSet, basename="supplier")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("agreement-reviews", views.PerformanceReviewViewSet, basename="agreement-review")
router.register("improvements", views.ImprovementViewSet, basename="improvement")
router.register("sms-documents", views.ChecklistItemViewSet, basename="document")
router.register("sms-settings", views.SettingsViewSet, basename="settings")

urlpatterns = router.urls
