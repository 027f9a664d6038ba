"""Pages and API routes of notifications (namespaces ``itsms`` and ``itsms-api``, composed by the
root urls)."""

from django.urls import path

from . import api, views

org = "o/<slug:org_slug>/"

urlpatterns = [
    path("notifications/", views.NotificationInboxView.as_view(), name="notifications"),
    path(
        "notifications/read-all/",
        views.NotificationInboxReadAllView.as_view(),
        name="notification_inbox_read_all",
    ),
    path(
        "notifications/<int:pk>/open/",
        views.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path(
        org + "notifications/",
        views.NotificationListView.as_view(),
        name="notification_list",
    ),
    path(
        org + "notifications/unread/",
        views.NotificationUnreadView.as_view(),
        name="notification_unread",
    ),
    path(
        org + "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notification_read_all",
    ),
    path(
        org + "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification_read",
    ),
]

api_routes = [("notifications", api.NotificationViewSet, "notification")]
