"""API routes of the core (namespace ``itsms-api``)."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from . import assessment, evidence, notifications, views

app_name = "itsms-api"

router = DefaultRouter()
router.register("standards", views.StandardViewSet, basename="standard")
router.register("clauses", views.ClauseViewSet, basename="clause")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("assessments", assessment.ClauseAssessmentViewSet, basename="assessment")
router.register("readiness", assessment.ReadinessViewSet, basename="readiness")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("evidence", evidence.EvidenceViewSet, basename="evidence")
router.register("evidence-versions", evidence.EvidenceVersionViewSet, basename="evidence-version")

urlpatterns = [path("auth/token/", obtain_auth_token, name="auth-token"), *router.urls]
