"""Coming deadlines per organisation and across a consultant's portfolio; the iCal feed."""

from datetime import UTC, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from itsms.models import NotificationPreference
from itsms.notifications.services import preference_set
from itsms.shared import permissions
from itsms.shared.views import OrganizationMixin

from .. import services
from ..deadlines import deadlines_for
from ..forms import PreferenceForm

HORIZON_DAYS = 400
PAST_DAYS = 31
LIMIT = 200  # rows shown before "show all"


def _calendar(organizations, today, show_all):
    """The window's deadlines, selected and cut in SQL (constant queries)."""
    items = deadlines_for(
        organizations,
        today=today,
        start=today - timedelta(days=PAST_DAYS),
        end=today + timedelta(days=HORIZON_DAYS),
        include_audits=True,
        limit=None if show_all else LIMIT + 1,
    )
    truncated = not show_all and len(items) > LIMIT
    rows = [
        {"deadline": d, "overdue": d.due < today and d.kind not in ("audit", "expiry")}
        for d in (items if show_all else items[:LIMIT])
    ]
    return {"rows": rows, "truncated": truncated, "today": today}


class OrganizationCalendarView(OrganizationMixin, TemplateView):
    template_name = "certification/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = self.organization.local_today()
        show_all = self.request.GET.get("all") == "1"
        context.update(_calendar([self.organization], today, show_all), portfolio=False)
        return context


@login_required
def portfolio_calendar(request):
    today = timezone.localdate()
    show_all = request.GET.get("all") == "1"
    context = _calendar(permissions.organizations_for(request.user), today, show_all)
    return render(request, "certification/calendar.html", {**context, "portfolio": True})


@login_required
def reminder_settings(request):
    """How the user gets reminders, and their secret calendar feed."""
    pref = NotificationPreference.objects.filter(user=request.user).first()
    form = PreferenceForm(
        request.POST or None, instance=pref or NotificationPreference(user=request.user)
    )
    if request.method == "POST" and "channel" in request.POST and form.is_valid():
        preference_set(user=request.user, channel=form.cleaned_data["channel"])
        messages.success(request, _("Saved."))
        return redirect("certification:reminder_settings")
    feed_url = request.session.pop("new_feed_url", None)
    has_feed = request.user.calendar_feeds.filter(revoked_at__isnull=True).exists()
    return render(
        request,
        "certification/reminder_settings.html",
        {"form": form, "feed_url": feed_url, "has_feed": has_feed},
    )


@login_required
@require_POST
def feed_create(request):
    token = services.calendar_feed_create(user=request.user)
    request.session["new_feed_url"] = request.build_absolute_uri(f"/calendar/{token}.ics")
    messages.success(request, _("A new calendar address was created; the old one stopped working."))
    return redirect("certification:reminder_settings")


@login_required
@require_POST
def feed_revoke(request):
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your calendar address was revoked."))
    return redirect("certification:reminder_settings")


def ical_feed(request, token):
    """The user's deadlines as iCalendar, reached by the secret token in the address."""
    from icalendar import Calendar, Event

    user = services.calendar_feed_user(token)
    if user is None:
        raise Http404
    organizations = permissions.organizations_for(user)
    today = timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//ITSMS Workbench//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "ITSMS Workbench")
    stamp = datetime.now(tz=UTC)
    host = request.get_host().split(":")[0]
    items = deadlines_for(
        organizations, today=today, start=today - timedelta(days=365), include_audits=True
    )
    for deadline in items:
        event = Event()
        event.add("uid", f"{deadline.subject_type}-{deadline.subject_id}-{deadline.kind}@{host}")
        event.add("summary", deadline.title)
        event.add("dtstart", deadline.due)
        event.add("dtend", deadline.due + timedelta(days=1))
        event.add("dtstamp", stamp)
        if deadline.url:
            event.add("url", request.build_absolute_uri(deadline.url))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="itsms-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
