"""API routes of the audits app (namespace ``audits-api``)."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "audits-api"

router = SimpleRouter()
router.register("certification-bodies", views.CertificationBodyViewSet, basename="body")
router.register("audits", views.AuditViewSet, basename="audit")
router.register("plan-sessions", views.PlanSessionViewSet, basename="session")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("corrective-actions", views.CorrectiveActionViewSet, basename="action")

urlpatterns = router.urls
