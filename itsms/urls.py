"""Root URLs: the project's wiring. Each app owns its own urls module.

The core's domain packages each list their pages (``urlpatterns``) and API routes
(``api_routes``: prefix, viewset, basename; ``api_urlpatterns``); they are composed here under
the core's two namespaces, ``itsms`` (pages) and ``itsms-api`` (one router, which serves the API
root), in the order below.
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from itsms.accounts import urls as accounts_urls
from itsms.archive import urls as archive_urls
from itsms.assessment import urls as assessment_urls
from itsms.evidence import urls as evidence_urls
from itsms.notifications import urls as notifications_urls
from itsms.search import urls as search_urls
from itsms.sso import urls as sso_urls
from itsms.standards import urls as standards_urls
from itsms.tenancy import urls as tenancy_urls

CORE_URLS = (
    standards_urls,
    tenancy_urls,
    accounts_urls,
    assessment_urls,
    notifications_urls,
    evidence_urls,
    sso_urls,
    search_urls,
    archive_urls,
)


# The site admin signs in on the product's sign-in page, with its second step.
admin.site.login = secure_admin_login(admin.site.login)


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
    *accounts_urls.auth_urlpatterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include((_core_api(), "itsms-api"))),
    path("api/v1/", include("processes.api.urls")),
    path("api/v1/", include("audits.api.urls")),
    path("api/v1/", include("sms.api.urls")),
    path("api/v1/", include("certification.api.urls")),
    path("", include((_core_pages(), "itsms"))),
    path("", include("processes.urls")),
    path("", include("audits.urls")),
    path("", include("sms.urls")),
    path("", include("certification.urls")),
]

handler400 = "itsms.shared.errors.bad_request"
handler403 = "itsms.shared.errors.permission_denied"
handler404 = "itsms.shared.errors.page_not_found"
handler500 = "itsms.shared.errors.server_error"
