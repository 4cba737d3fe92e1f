"""Calls API under /api/v1/calls/."""
from django.urls import path

from . import apis

urlpatterns = [
    path("calls/", apis.CallListApi.as_view(), name="api-calls"),
    path("calls/<int:pk>/", apis.CallDetailApi.as_view(), name="api-call"),
    path("calls/<int:pk>/materials/<int:material_id>/template/", apis.TemplateApi.as_view(), name="api-call-template"),
]
