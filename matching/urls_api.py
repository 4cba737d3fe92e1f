"""Matching API under /api/v1/."""
from django.urls import path

from . import apis

urlpatterns = [
    path("eligibility/what-if", apis.WhatIfApi.as_view(), name="api-eligibility-what-if"),
    path("matches/", apis.MyMatchesApi.as_view(), name="api-matches"),
    path("matches/<int:pk>/apply", apis.MatchApplyApi.as_view(), name="api-match-apply"),
    path("matches/<int:pk>/dismiss", apis.MatchDismissApi.as_view(), name="api-match-dismiss"),
    path("profile/", apis.ProfileApi.as_view(), name="api-profile"),
    path("lists/preview", apis.ListPreviewApi.as_view(), name="api-list-preview"),
    path("lists/imports/<int:pk>/apply", apis.ListApplyApi.as_view(), name="api-list-apply"),
    path("matching/clauses/", apis.ClauseCountsApi.as_view(), name="api-matching-clauses"),
    path("matching/clauses/<str:code>/confirm", apis.ConfirmAwardsApi.as_view(), name="api-matching-confirm"),
]
