"""Matching's API under /api/v1/: what-if, an applicant's matches and profile, official lists, officers' queue."""
from __future__ import annotations

import json

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import IsApplicant
from accounts.selectors import organisation_of, role_of
from eligibility.apis import AnonymousCheckThrottle, IsoDateField
from policy_portal.errors import ErrorSerializer
from policy_portal.exceptions import DomainError
from policy_portal.parsers import StrictJSONParser
from rules.selectors import current_version, rulebook_for_version

from . import selectors
from .services.applying import match_apply, match_dismiss, proposed_awards_confirm
from .services.lists import list_import_apply, list_import_preview
from .services.profiles import effective_profile, profile_facts_declare
from .whatif import what_if


class IsAdministrator(BasePermission):
    """A portal administrator."""

    def has_permission(self, request, view):
        return role_of(request.user) == Role.ADMIN


class IsOfficerOrAdministrator(BasePermission):
    """A bureau officer or an administrator."""

    def has_permission(self, request, view):
        return role_of(request.user) in (Role.OFFICER, Role.ADMIN)


class WhatIfApi(APIView):
    """For a clause and a set of facts: per unmet group, the cheapest change that would meet it."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonymousCheckThrottle]
    throttle_scope = "eligibility"
    parser_classes = [StrictJSONParser]

    class InputSerializer(serializers.Serializer):
        clause = serializers.CharField(max_length=16, help_text="A clause code, e.g. FIM-6.2.")
        facts = serializers.DictField(help_text="Fact code → value, as for the check.")
        as_of = IsoDateField(required=False, help_text="YYYY-MM-DD; default: today in Asia/Shanghai.")
        allow_unchangeable = serializers.BooleanField(
            default=False, help_text="Also suggest changing where the organisation is registered, its kind, or a past date.")

    @extend_schema(
        tags=["eligibility"], operation_id="eligibility_what_if", request=InputSerializer,
        responses={200: inline_serializer("WhatIf", {
            "clause": serializers.CharField(), "as_of": serializers.DateField(), "status": serializers.CharField(),
            "in_window": serializers.BooleanField(), "status_after": serializers.CharField(),
            "changes": serializers.ListField(child=serializers.DictField()),
            "unchangeable": serializers.ListField(child=serializers.DictField()),
            "awaiting": serializers.ListField(child=serializers.DictField())}),
            400: ErrorSerializer, 429: ErrorSerializer, 503: ErrorSerializer},
        examples=[OpenApiExample("A renewed single champion", request_only=True, value={
            "clause": "FIM-6.2", "as_of": "2026-06-01", "facts": {
                "org_type": "enterprise", "registered_in_chongqing": True, "future_industry_field": "embodied_ai",
                "national_single_champion_recognised_on": "2026-05-20",
                "national_single_champion_recognition_type": "reconfirmed"}})],
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        book = rulebook_for_version(current_version())
        return Response(what_if(book, v["facts"], v.get("as_of") or timezone.localdate(), v["clause"],
                                allow_unchangeable=v["allow_unchangeable"]))


def _match_dict(row: dict) -> dict:
    m, head = row["match"], row["head"]
    return {"id": m.pk, "clause": m.clause.code, "title_zh": m.clause.title_zh, "title_en": m.clause.title_en,
            "status": m.status, "outcome": m.outcome, "rule_version": m.rule_version,
            "first_seen": m.first_seen, "amount_yuan": head.get("amount_yuan"), "amount_kind": head.get("amount_kind"),
            "lead_bureau": head.get("lead_bureau"), "citation": head.get("citation"), "missing": m.missing,
            "application": m.application.reference if m.application_id else None}


class MyMatchesApi(APIView):
    """The applicant organisation's matches (为您匹配)."""

    permission_classes = [IsApplicant]

    @extend_schema(tags=["matching"], operation_id="matches_list",
                   responses={200: inline_serializer("Matches", {"results": serializers.ListField(child=serializers.DictField())}),
                              403: ErrorSerializer})
    def get(self, request):
        return Response({"results": [_match_dict(r) for r in selectors.matches_of(organisation_of(request.user))]})


class MatchApplyApi(APIView):
    """Apply with one click: a draft under the match's clause, pre-filled from the profile."""

    permission_classes = [IsApplicant]
    parser_classes = [StrictJSONParser]

    @extend_schema(tags=["matching"], operation_id="match_apply", request=None,
                   responses={200: inline_serializer("MatchApplied", {"status": serializers.CharField(),
                                                                       "application": serializers.CharField()}),
                              400: ErrorSerializer, 403: ErrorSerializer})
    def post(self, request, pk: int):
        application = match_apply(actor=request.user, match_id=pk)
        return Response({"status": "applied", "application": application.reference})


class MatchDismissApi(APIView):
    """Dismiss a match: the organisation says it is not for them."""

    permission_classes = [IsApplicant]
    parser_classes = [StrictJSONParser]

    @extend_schema(tags=["matching"], operation_id="match_dismiss", request=None,
                   responses={200: inline_serializer("MatchDismissed", {"status": serializers.CharField()}),
                              400: ErrorSerializer, 403: ErrorSerializer})
    def post(self, request, pk: int):
        match_dismiss(actor=request.user, match_id=pk)
        return Response({"status": "dismissed"})


class ProfileApi(APIView):
    """The organisation's profile: each fact's effective value, source and date; PATCH declares facts."""

    permission_classes = [IsApplicant]
    parser_classes = [StrictJSONParser]

    class InputSerializer(serializers.Serializer):
        facts = serializers.DictField(help_text="Fact code → value; null or \"\" removes a declaration.")

    def _answer(self, request):
        profile = effective_profile(organisation_of(request.user))
        return Response({"facts": [{"fact": f, "value": v, "source": profile.sources[f][0],
                                    "confirmed_at": profile.sources[f][1]} for f, v in profile.facts.items()],
                         "conflicts": profile.conflicts})

    @extend_schema(tags=["matching"], operation_id="profile_read", responses={200: inline_serializer(
        "OrganisationProfile", {"facts": serializers.ListField(child=serializers.DictField()),
                                "conflicts": serializers.ListField(child=serializers.DictField())}), 403: ErrorSerializer})
    def get(self, request):
        return self._answer(request)

    @extend_schema(tags=["matching"], operation_id="profile_declare", request=InputSerializer,
                   responses={200: inline_serializer("OrganisationProfileDeclared", {
                       "facts": serializers.ListField(child=serializers.DictField())}), 400: ErrorSerializer, 403: ErrorSerializer})
    def patch(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile_facts_declare(actor=request.user, facts=data.validated_data["facts"])
        return self._answer(request)


class ListPreviewApi(APIView):
    """Upload an official list (multipart: kind, file, optional mapping as JSON) and get its preview."""

    permission_classes = [IsAdministrator]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.SlugField(max_length=40)
        file = serializers.FileField(max_length=200)
        mapping = serializers.CharField(required=False, allow_blank=True,
                                        help_text='JSON: {"column title": "credit_code" | "name" | fact code}')

    @extend_schema(tags=["matching"], operation_id="list_preview", request={"multipart/form-data": InputSerializer},
                   responses={201: inline_serializer("ListPreview", {"id": serializers.IntegerField(),
                                                                      "state": serializers.CharField(),
                                                                      "summary": serializers.DictField()}),
                              400: ErrorSerializer, 403: ErrorSerializer, 413: ErrorSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        mapping = None
        if v.get("mapping"):
            try:
                mapping = json.loads(v["mapping"])
            except ValueError:
                raise DomainError("list_mapping_invalid", field="mapping", target="JSON") from None
        upload = v["file"]
        if upload.size > 20 * 1024 * 1024:
            raise DomainError("file_too_large", field="file", limit_mb=20)
        record = list_import_preview(actor=request.user, kind_code=v["kind"], data=upload.read(),
                                     file_name=upload.name, mapping=mapping)
        return Response({"id": record.pk, "state": record.state, "summary": record.summary}, status=201)


class ListApplyApi(APIView):
    """Apply a previewed list: all rows or, if the preview found any error, none."""

    permission_classes = [IsAdministrator]
    parser_classes = [StrictJSONParser]

    @extend_schema(tags=["matching"], operation_id="list_apply", request=None,
                   responses={200: inline_serializer("ListApplied", {"id": serializers.IntegerField(),
                                                                      "state": serializers.CharField(),
                                                                      "job": serializers.CharField(allow_null=True)}),
                              400: ErrorSerializer, 403: ErrorSerializer})
    def post(self, request, pk: int):
        record = list_import_apply(actor=request.user, import_id=pk)
        return Response({"id": record.pk, "state": record.state, "job": record.job.key if record.job else None})


class ClauseCountsApi(APIView):
    """Per clause: how many organisations match, applied, and awards proposed and confirmed."""

    permission_classes = [IsOfficerOrAdministrator]

    @extend_schema(tags=["matching"], operation_id="matching_clauses",
                   responses={200: inline_serializer("MatchingClauses", {"results": serializers.ListField(child=serializers.DictField())}),
                              403: ErrorSerializer})
    def get(self, request):
        keys = ("code", "matched", "applied", "proposed", "awarded", "expired", "no_application")
        return Response({"results": [{k: r[k] for k in keys} for r in selectors.clause_counts()]})


class ConfirmAwardsApi(APIView):
    """Confirm proposed awards of a 免申即享 clause, one or many."""

    permission_classes = [IsOfficerOrAdministrator]
    parser_classes = [StrictJSONParser]

    class InputSerializer(serializers.Serializer):
        match_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=5000)

    @extend_schema(tags=["matching"], operation_id="matching_confirm_awards", request=InputSerializer,
                   responses={200: inline_serializer("AwardsConfirmed", {"confirmed": serializers.IntegerField()}),
                              400: ErrorSerializer, 403: ErrorSerializer})
    def post(self, request, code: str):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = proposed_awards_confirm(actor=request.user, clause_code=code, match_ids=data.validated_data["match_ids"])
        return Response({"confirmed": count})
