"""Pages of the certification app (namespace ``certification``)."""

from django.urls import path

from .views import calendar, certificates, project

app_name = "certification"

org = "o/<slug:org_slug>/"

urlpatterns = [
    path("calendar/", calendar.portfolio_calendar, name="portfolio_calendar"),
    path("calendar/<str:token>.ics", calendar.ical_feed, name="ical_feed"),
    path("account/reminders/", calendar.reminder_settings, name="reminder_settings"),
    path("account/reminders/feed/", calendar.feed_create, name="feed_create"),
    path("account/reminders/feed/revoke/", calendar.feed_revoke, name="feed_revoke"),
    path(org + "calendar/", calendar.OrganizationCalendarView.as_view(), name="calendar"),
    path(org + "certification/", project.ProjectView.as_view(), name="project"),
    path(org + "certification/start/", project.ProjectStartView.as_view(), name="project_start"),
    path(org + "certification/edit/", project.ProjectEditView.as_view(), name="project_edit"),
    path(org + "certification/steps/<int:pk>/", project.StepEditView.as_view(), name="step_edit"),
    path(org + "certification/bodies/new/", project.BodyCreateView.as_view(), name="body_create"),
    path(org + "certification/bodies/copy/", project.BodyCopyView.as_view(), name="body_copy"),
    path(
        org + "certification/steps/<int:pk>/items/", project.ItemAddView.as_view(), name="item_add"
    ),
    path(
        org + "certification/items/<int:pk>/toggle/",
        project.ItemToggleView.as_view(),
        name="item_toggle",
    ),
    path(
        org + "certificates/", certificates.CertificateListView.as_view(), name="certificate_list"
    ),
    path(
        org + "certificates/new/",
        certificates.CertificateCreateView.as_view(),
        name="certificate_create",
    ),
    path(
        org + "certificates/<int:pk>/",
        certificates.CertificateDetailView.as_view(),
        name="certificate_detail",
    ),
]
