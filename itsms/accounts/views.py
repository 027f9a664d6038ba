from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from itsms.models import NotificationPreference
from itsms.shared import timezones

from . import services
from .forms import PreferencesForm


@login_required
def account(request):
    """The user's account: preferences (notifications, time zone), API token, password."""
    preference = NotificationPreference.objects.filter(user=request.user).first()
    initial = {
        "channel": preference.channel if preference else NotificationPreference.Channel.BOTH,
        "time_zone": request.user.time_zone,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(
            user=request.user,
            channel=form.cleaned_data["channel"],
            time_zone=form.cleaned_data["time_zone"],
        )
        messages.success(request, _("Saved."))
        return redirect("itsms:account")
    token = Token.objects.filter(user=request.user).first()
    new_key = request.session.pop("new_api_token", None)
    return render(
        request,
        "itsms/account.html",
        {
            "token": token,
            "new_key": new_key,
            "form": form,
            "browser_zone": timezones.browser_zone(request),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def api_token_create(request):
    """Create (or replace) the user's API token; the key is shown once."""
    Token.objects.filter(user=request.user).delete()
    token = Token.objects.create(user=request.user)
    request.session["new_api_token"] = token.key
    messages.success(request, _("A new API token was created. Copy it now: it is shown once."))
    return redirect("itsms:account")


@login_required
@require_POST
def api_token_revoke(request):
    Token.objects.filter(user=request.user).delete()
    messages.success(request, _("Your API token was revoked."))
    return redirect("itsms:account")
