"""Pages of the audits app (namespace ``audits``)."""

from django.urls import path

from .views import actions, audit, findings, invitations, packs, programme, report, steps

app_name = "audits"

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(
        "audit-invitations/<str:token>/",
        invitations.AuditInvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path(org + "audits/", audit.AuditListView.as_view(), name="audit_list"),
    path(org + "audits/new/", audit.AuditCreateView.as_view(), name="audit_create"),
    path(org + "audits/programme/", programme.ProgrammeView.as_view(), name="programme"),
    path(org + "audits/<int:pk>/", audit.AuditDetailView.as_view(), name="audit_detail"),
    path(org + "audits/<int:pk>/edit/", audit.AuditEditView.as_view(), name="audit_edit"),
    path(org + "audits/<int:pk>/plan/", audit.AuditPlanView.as_view(), name="audit_plan"),
    path(
        org + "audits/<int:pk>/report.pdf", report.AuditReportPdfView.as_view(), name="audit_report"
    ),
    path(
        org + "audits/<int:pk>/plan.pdf", report.AuditPlanPdfView.as_view(), name="audit_plan_pdf"
    ),
    path(org + "audits/<int:pk>/pack/", packs.AuditPackView.as_view(), name="audit_pack"),
    path(
        org + "audit-packs/<int:pk>/progress/",
        packs.AuditPackProgressView.as_view(),
        name="pack_progress",
    ),
    path(
        org + "audit-packs/<int:pk>/download/",
        packs.AuditPackDownloadView.as_view(),
        name="pack_download",
    ),
    path(
        org + "audits/<int:pk>/findings/",
        findings.FindingCreateView.as_view(),
        name="finding_create",
    ),
    path(org + "audits/<int:pk>/notes/", steps.NoteCreateView.as_view(), name="note_create"),
    path(
        org + "audits/<int:pk>/sessions/", steps.SessionCreateView.as_view(), name="session_create"
    ),
    path(org + "audits/<int:pk>/assign/", steps.AssignView.as_view(), name="assign"),
    path(
        org + "audits/<int:pk>/opening-meeting/",
        steps.OpeningMeetingView.as_view(),
        name="opening_meeting",
    ),
    path(
        org + "audits/<int:pk>/closing-meeting/",
        steps.ClosingMeetingView.as_view(),
        name="closing_meeting",
    ),
    path(org + "audits/<int:pk>/close/", steps.AuditCloseView.as_view(), name="audit_close"),
    path(org + "audits/<int:pk>/plan-next/", steps.PlanNextView.as_view(), name="plan_next"),
    path(org + "findings/<int:pk>/edit/", findings.FindingEditView.as_view(), name="finding_edit"),
    path(
        org + "audit-assignments/<int:pk>/end/",
        steps.AssignmentEndView.as_view(),
        name="assignment_end",
    ),
    path(org + "corrective-actions/<int:pk>/", actions.ActionView.as_view(), name="action_detail"),
    path(
        org + "certification-bodies/new/",
        programme.CertificationBodyFormView.as_view(),
        name="body_create",
    ),
    path(
        org + "certification-bodies/<int:pk>/",
        programme.CertificationBodyFormView.as_view(),
        name="body_edit",
    ),
]
