"""API routes of the certification app (namespace ``certification-api``)."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "certification-api"

router = SimpleRouter()
router.register("certification-projects", views.CertificationProjectViewSet, basename="project")
router.register("project-steps", views.ProjectStepViewSet, basename="step")
router.register("checklist-items", views.ChecklistItemViewSet, basename="item")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("reminders", views.ReminderViewSet, basename="reminder")

urlpatterns = router.urls
