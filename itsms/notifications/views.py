"""The signed-in user's notifications: every organisation's on one page (the bell's), one
organisation's, marking read."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.models import Notification
from itsms.shared.views import OrganizationMixin

from . import selectors
from . import services as notifications


def _follow(request, notification, fallback):
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=False
    ):
        return redirect(notification.url)
    return fallback


class InboxMixin(LoginRequiredMixin):
    """The user's own notifications of every organisation they may read (no organisation in
    the address: the bell's page)."""

    model = Notification

    def get_queryset(self):
        return selectors.for_reader(self.request.user)


class NotificationInboxView(InboxMixin, TemplateView):
    """Every notification of the user, newest first (``?unread=1``: unread only)."""

    template_name = "itsms/notifications.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unread_only = self.request.GET.get("unread") == "1"
        context.update(
            notifications=selectors.latest_for_reader(self.request.user, unread_only=unread_only),
            unread_only=unread_only,
            all_organizations=True,
        )
        return context


class NotificationOpenView(InboxMixin, View):
    """Mark one notification read and follow its link."""

    def post(self, request, *args, **kwargs):
        notification = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        notifications.mark_read(notification=notification, user=request.user)
        return _follow(request, notification, redirect("itsms:notifications"))


class NotificationInboxReadAllView(InboxMixin, View):
    def post(self, request, *args, **kwargs):
        notifications.mark_all_read(user=request.user)
        return redirect("itsms:notifications")


class NotificationMixin(OrganizationMixin):
    """The user's own notifications in the organisation (the policy of ``Notification``)."""

    model = Notification


class NotificationListView(NotificationMixin, TemplateView):
    template_name = "itsms/notifications.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notifications"] = list(self.get_queryset()[: selectors.PAGE])
        return context


class NotificationUnreadView(NotificationMixin, View):
    """A tiny fragment: the number of unread notifications in this organisation."""

    def get(self, request, *args, **kwargs):
        count = self.get_queryset().unread().count()
        if not count:
            return HttpResponse("")
        label = _("%(count)s unread") % {"count": count}
        return HttpResponse(f'<span class="badge unread" title="{label}">{count}</span>')


class NotificationReadView(NotificationMixin, View):
    """Mark one notification read and follow its link."""

    def post(self, request, *args, **kwargs):
        notification = self.get_object()
        notifications.mark_read(notification=notification, user=request.user)
        return _follow(
            request,
            notification,
            redirect("itsms:notification_list", org_slug=self.organization.slug),
        )


class NotificationReadAllView(NotificationMixin, View):
    def post(self, request, *args, **kwargs):
        notifications.mark_all_read(user=request.user, organization=self.organization)
        return redirect("itsms:notification_list", org_slug=self.organization.slug)
