from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from itsms.models import NotificationPreference
from itsms.shared import timezones

from . import selectors, services, tokens
from .forms import ApiTokenForm, PreferencesForm


@login_required
def account(request, token_form=None, status=200):
    """The user's account: preferences (notifications, time zone), password, second factors,
    sessions, API tokens (named, expiring, revocable)."""
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
        **selectors.account_overview(request),
    }
    return render(request, "itsms/account.html", context, status=400 if bound else status)


@login_required
@require_POST
def session_end(request, session_id):
    """Sign one of the user's own sessions out (another user's answers 404)."""
    from allauth.usersessions.models import UserSession

    session = UserSession.objects.filter(user_id=request.user.pk, pk=session_id).first()
    if session is None:
        raise Http404
    current = session.session_key == request.session.session_key
    services.session_end(request=request, session=session)
    if current:
        return redirect("login")
    messages.success(request, _("That session was signed out."))
    return redirect("itsms:account")


@login_required
@require_POST
def sessions_end_others(request):
    count = services.sessions_end_others(request=request, user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d other session was signed out.",
            "%(count)d other sessions were signed out.",
            count,
        )
        % {"count": count},
    )
    return redirect("itsms:account")


def second_factor_step_required(view):
    """For a user of an organisation that requires a second factor: the view runs only right
    after a second-factor step (at sign-in or confirmed again), so a stolen session cannot mint
    a long-lived token that skips the factor."""
    from functools import wraps

    from django.urls import reverse
    from django.utils.http import urlencode

    from itsms.shared import permissions

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if permissions.organizations_requiring_mfa(request.user):
            if not permissions.has_second_factor(request.user):
                messages.warning(
                    request, _("Set up a second factor first: your organisation requires one.")
                )
                return redirect("mfa_index")
            if not services.passed_second_factor_recently(request):
                messages.info(request, _("Confirm your second factor to create a token."))
                query = urlencode({"next": reverse("itsms:account")})
                return redirect(reverse("mfa_reauthenticate") + "?" + query)
        return view(request, *args, **kwargs)

    return wrapped


@login_required
@require_POST
@second_factor_step_required
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


#: Session key: the recovery codes shown once may be downloaded for a few minutes after.
CODES_SHOWN = "itsms_recovery_codes_shown"
CODES_DOWNLOAD_SECONDS = 15 * 60


@login_required
def recovery_codes(request):
    """allauth's page of recovery codes (shown once, right after they are made), which also
    lets the codes just shown be downloaded for a few minutes."""
    import time

    from allauth.mfa.recovery_codes.views import view_recovery_codes

    response = view_recovery_codes(request)
    context = getattr(response, "context_data", None) or {}
    if context.get("can_view_codes"):
        request.session[CODES_SHOWN] = int(time.time())
    return response


@login_required
def recovery_codes_download(request):
    """The codes just shown, as a text file; afterwards only new codes can be had."""
    import time

    from allauth.mfa.models import Authenticator
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    shown = request.session.get(CODES_SHOWN)
    authenticator = Authenticator.objects.filter(
        user_id=request.user.pk, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    if authenticator is None or shown is None or time.time() - shown > CODES_DOWNLOAD_SECONDS:
        raise Http404
    codes = authenticator.wrap().get_unused_codes()
    response = HttpResponse(
        render_to_string("mfa/recovery_codes/download.txt", {"unused_codes": codes}),
        content_type="text/plain; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="itsms-recovery-codes.txt"'
    response["Cache-Control"] = "no-store"
    return response
