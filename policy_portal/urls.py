from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from policy_portal.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/v1/", include("library.urls_api")),
    path("api/v1/", include("eligibility.urls_api")),
    path("api/v1/", include("accounts.urls_api")),
    path("api/v1/", include("subsidies.urls_api_applications")),
    path("api/v1/", include("carriers.urls_api")),
    path("api/v1/", include("rules.urls_api")),
    path("api/v1/", include("notifications.urls_api")),
    path("api/v1/", include("programmes.urls_api")),
    path("api/v1/", include("payments.urls_api")),
    path("api/v1/", include("matching.urls_api")),
    path("", include("accounts.urls")),
    path("", include("accounts.urls_registration")),
    path("", include("notifications.urls")),
    path("", include("programmes.urls")),
    path("", include("payments.urls")),
    path("", include("subsidies.urls_applications")),
    path("", include("carriers.urls")),
    path("", include("rules.urls")),
    path("", include("library.urls")),
    path("", include("eligibility.urls")),
    path("", include("matching.urls")),
]

handler400 = "policy_portal.errors.bad_request"
handler404 = "policy_portal.errors.not_found"
handler500 = "policy_portal.errors.server_error"
