"""Notifications: the one ``notify`` service every app calls, marking read, the preference.

``notify`` tells people that something happened in an organisation: evidence sent for review,
approved or sent back; a corrective action submitted, returned, accepted or verified; a
clause, process or audit assigned; a reminder; evidence expired. Each recipient who may still
read the organisation (``itsms.tenancy.selectors.recipients``; never the actor) gets an in-app
notification and, when the caller asks for it, an email, as their preference says
(``NotificationPreference``: both, email, in-app, none). The message is a translatable msgid
(``gettext_noop``) with its parameters: stored with them, it is shown in the reader's
language; the email and the stored text use the organisation's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from itsms.models import Notification, NotificationPreference, Organization, User
from itsms.tenancy.selectors import recipients as readers

_silenced: ContextVar[bool] = ContextVar("notifications_silenced", default=False)


@contextmanager
def silenced() -> Iterator[None]:
    """Nobody is notified of what happens inside: data entered for the record (the demo
    seed, an import of history) is not news."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def _params_by_language(params: dict) -> dict[str, dict[str, str]]:
    """Each parameter in every language of the product: a callable (``lambda: clause.title``)
    or a lazy translation is evaluated under each; anything else is taken as it is."""
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = {k: str(v() if callable(v) else v) for k, v in params.items()}
    return result


def _render(message: str, params: dict, language: str) -> str:
    with translation.override(language):
        return (gettext(message) % params)[:500]


def preferences_of(users: Iterable[User]) -> dict[int, NotificationPreference]:
    """Each user's preference (the default, both, for those who never chose); one query."""
    users = list(users)
    stored = {
        p.user_id: p for p in NotificationPreference.objects.filter(user__in=[u.pk for u in users])
    }
    return {u.pk: stored.get(u.pk) or NotificationPreference(user=u) for u in users}


@transaction.atomic
def notify(
    *,
    organization: Organization,
    user: User | None = None,
    recipients: Iterable[User | None] = (),
    text: str = "",
    message: str = "",
    params: dict | None = None,
    url: str = "",
    kind: str = "",
    actor: User | None = None,
    email: bool = False,
) -> list[Notification]:
    """Tell ``recipients`` (and/or ``user``) something about ``organization``.

    ``message`` (a msgid, with ``params``; a parameter that reads the active language, such as
    a clause's heading, is passed as a callable) is preferred to a ready-made ``text``. With
    ``email=True`` the recipients whose preference includes email get one too (queued on
    commit). Returns the in-app notifications written.
    """
    if not (message or text):
        raise ValueError("notify needs a message or a text")
    if _silenced.get():
        return []
    by_language = _params_by_language(params or {})
    # The one recipients selector: whoever may still read the organisation, among these.
    people = readers(organization, among=[u for u in (user, *recipients) if u is not None])
    if actor is not None:
        people = [u for u in people if u.pk != actor.pk]
    if not people:
        return []
    language = organization.language if organization.language in by_language else "en"
    stored_text = _render(message, by_language[language], language) if message else text[:500]
    preferences = preferences_of(people)
    written = []
    for person in people:
        preference = preferences[person.pk]
        if preference.in_app:
            notification = Notification(
                organization=organization,
                user=person,
                kind=kind,
                text=stored_text,
                message=message,
                params=by_language if message else {},
                url=url,
            )
            notification.full_clean()
            notification.save()
            written.append(notification)
        if email and preference.email:
            from .emails import send_notification_email

            transaction.on_commit(
                lambda pk=person.pk: send_notification_email.delay(
                    organization_id=organization.pk,
                    user_id=pk,
                    text=stored_text,
                    url=url,
                )
            )
    return written


def for_user(user: User, organization: Organization):
    return Notification.objects.restrict(user, "view").filter(organization=organization)


@transaction.atomic
def mark_read(*, notification: Notification, user: User) -> Notification:
    if notification.user_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user: User, organization: Organization | None = None) -> int:
    """Mark the user's unread notifications read: of one organisation, or of all."""
    from .selectors import for_reader

    queryset = for_user(user, organization) if organization else for_reader(user)
    return Notification.objects.filter(
        pk__in=list(queryset.unread().values_list("pk", flat=True))
    ).update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, user: User, channel: str) -> NotificationPreference:
    """How the user hears of notifications and reminders (validated against the choices)."""
    preference = NotificationPreference.objects.filter(user=user).first() or (
        NotificationPreference(user=user)
    )
    preference.channel = channel
    preference.full_clean()
    preference.save()
    return preference
