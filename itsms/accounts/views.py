from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itsms.models import NotificationPreference
from itsms.shared import timezones

from . import services, tokens
from .forms import ApiTokenForm, PreferencesForm


@login_required
def account(request, token_form=None, status=200):
    """The user's account: preferences (notifications, time zone), API tokens (named,
    expiring, revocable), password."""
    preference = NotificationPreference.objects.filter(user=request.user).first()
    initial = {
        "channel": preference.channel if preference else NotificationPreference.Channel.BOTH,
        "time_zone": request.user.time_zone,
    }
    bound = request.method == "POST" and token_form is None
    form = PreferencesForm(request.POST if bound else None, initial=initial)
    if bound and form.is_valid():
        services.preferences_set(
            user=request.user,
            channel=form.cleaned_data["channel"],
            time_zone=form.cleaned_data["time_zone"],
        )
        messages.success(request, _("Saved."))
        return redirect("itsms:account")
    context = {
        "tokens": list(tokens.tokens_of(request.user)),
        "new_token": request.session.pop("new_api_token", None),
        "token_form": token_form or ApiTokenForm(),
        "form": form,
        "browser_zone": timezones.browser_zone(request),
    }
    return render(request, "itsms/account.html", context, status=400 if bound else status)


@login_required
@require_POST
def api_token_create(request):
    """A new API token; its key is shown once, on the next page."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return account(request, token_form=form, status=400)
    token, key = tokens.api_token_create(
        user=request.user,
        name=form.cleaned_data["name"],
        days=form.cleaned_data["expires_in_days"],
    )
    request.session["new_api_token"] = {"name": token.name, "key": key}
    messages.success(request, _("A new API token was created. Copy it now: it is shown once."))
    return redirect("itsms:account")


@login_required
@require_POST
def api_token_revoke(request):
    if tokens.api_token_revoke(user=request.user, digest=request.POST.get("token", "")):
        messages.success(request, _("The API token was revoked."))
    else:
        messages.error(request, _("No such token: it may have expired or been revoked already."))
    return redirect("itsms:account")


@login_required
@require_POST
def api_tokens_revoke_all(request):
    count = tokens.api_tokens_revoke_all(user=request.user)
    messages.success(request, _("All your API tokens were revoked (%(count)d).") % {"count": count})
    return redirect("itsms:account")
