"""django-allauth's wording that our catalogue translates in place of allauth's own Chinese.

Our ``LOCALE_PATHS`` catalogue is read before allauth's, so an msgid listed here (and translated
in ``locale/zh_Hans``) wins on allauth's pages. Listed: where allauth's Chinese leaves English
("Passkey", "JavaScript"), says something else ("错误代码" reads as "error code"), or uses
other words than the product ("登出" where the product says "退出登录"). ``gettext_noop`` keeps
them in the catalogue when ``makemessages --no-obsolete`` runs.
"""

from django.utils.translation import gettext_noop

ALLAUTH_TERMS = [
    gettext_noop("Incorrect code."),
    gettext_noop("Use authenticator app or code"),
    gettext_noop("Sign Out"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Passkey"),
    gettext_noop("Passwordless"),
    gettext_noop("This functionality requires JavaScript."),
    gettext_noop("Sign in with a passkey"),
    gettext_noop("This key does not indicate whether it is a passkey."),
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("Recovery Codes"),
    gettext_noop("Code"),
    gettext_noop("Authenticator code"),
    gettext_noop("Security Keys"),
    gettext_noop("Security key"),
    gettext_noop("Add Security Key"),
    gettext_noop("You have signed out."),
]
