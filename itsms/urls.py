"""Root URLs: the project's wiring. Each app owns its own urls module.

The core's domain packages each list their pages (``urlpatterns``) and API routes
(``api_routes``: prefix, viewset, basename; ``api_urlpatterns``); they are composed here under
the core's two namespaces, ``itsms`` (pages) and ``itsms-api`` (one router, which serves the API
root), in the order below.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from itsms.accounts import urls as accounts_urls
from itsms.accounts.forms import EmailAuthenticationForm
from itsms.archive import urls as archive_urls
from itsms.assessment import urls as assessment_urls
from itsms.evidence import urls as evidence_urls
from itsms.notifications import urls as notifications_urls
from itsms.standards import urls as standards_urls
from itsms.tenancy import urls as tenancy_urls

CORE_URLS = (
    standards_urls,
    tenancy_urls,
    accounts_urls,
    assessment_urls,
    notifications_urls,
    evidence_urls,
    archive_urls,
)


def _core_pages():
    return [pattern for urls in CORE_URLS for pattern in getattr(urls, "urlpatterns", [])]


def _core_api():
    router = DefaultRouter()
    for urls in CORE_URLS:
        for prefix, viewset, basename in getattr(urls, "api_routes", []):
            router.register(prefix, viewset, basename=basename)
    extra = [pattern for urls in CORE_URLS for pattern in getattr(urls, "api_urlpatterns", [])]
    return [*extra, *router.urls]


urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include((_core_api(), "itsms-api"))),
    path("api/v1/", include("processes.api.urls")),
    path("api/v1/", include("audits.api.urls")),
    path("api/v1/", include("certification.api.urls")),
    path("", include((_core_pages(), "itsms"))),
    path("", include("processes.urls")),
    path("", include("audits.urls")),
    path("", include("certification.urls")),
]

handler400 = "itsms.shared.errors.bad_request"
handler403 = "itsms.shared.errors.permission_denied"
handler404 = "itsms.shared.errors.page_not_found"
handler500 = "itsms.shared.errors.server_error"
