"""Eligibility API under /api/v1/."""
from django.urls import path

from . import apis

urlpatterns = [
    path("eligibility/check", apis.EligibilityCheckApi.as_view(), name="api-eligibility-check"),
    path("eligibility/relevant-facts", apis.RelevantFactsApi.as_view(), name="api-eligibility-relevant-facts"),
]
