"""The eligibility-check API: anonymous, throttled, and answering exactly what the check service returns."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from catalogue.models import Clause
from catalogue.serializers import CitationSerializer
from policy_portal.errors import ErrorSerializer
from policy_portal.messages import Message, render
from policy_portal.parsers import StrictJSONParser
from rules.models import ClauseRule
from rules.operators import FactError, parse_iso_date

from .services import eligibility_check, eligibility_relevant
from .throttling import window_hit


class AnonymousCheckThrottle(ScopedRateThrottle):
    """Limits anonymous callers, by address, to the `eligibility` rate; signed-in users are not throttled.

    One atomic counter per caller and window (eligibility.throttling.window_hit), not DRF's
    read-then-write history, so concurrent requests cannot slip past the limit together.
    """

    def allow_request(self, request, view):
        if request.user is not None and request.user.is_authenticated:
            return True
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        count, self.remaining = window_hit(self.get_cache_key(request, view), self.duration)
        return count <= self.num_requests

    def wait(self):
        return max(self.remaining, 0)


class IsoDateField(serializers.DateField):
    """A date written exactly YYYY-MM-DD that exists (2026-02-30 does not) and lies in 1900–2200."""

    def to_internal_value(self, value):
        try:
            return parse_iso_date(value, self.field_name)
        except FactError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from None  # in the request's language


# ---------------------------------------------------------------- response shape (documentation only)


@extend_schema_serializer(component_name="Reason")
class ReasonSerializer(serializers.Serializer):
    fact = serializers.CharField(help_text='The fact tested; "as_of" for the clause\'s validity window.')
    message_zh = serializers.CharField()
    message_en = serializers.CharField()


class _ClauseHeadSerializer(serializers.Serializer):
    code = serializers.CharField()
    title_zh = serializers.CharField()
    title_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=Clause.Kind.choices)
    amount_yuan = serializers.IntegerField(allow_null=True)
    amount_kind = serializers.ChoiceField(choices=ClauseRule.AmountKind.choices)
    lead_bureau = serializers.CharField()
    bureaus = serializers.ListField(child=serializers.CharField(), help_text="Lead first.")
    citation = CitationSerializer()
    because = ReasonSerializer(many=True, help_text="The validity window and one met condition per group.")


@extend_schema_serializer(component_name="EligibleClause")
class EligibleClauseSerializer(_ClauseHeadSerializer):
    not_combinable_with = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Present when equally new clauses reward the same achievement (就新、不重复).",
    )


@extend_schema_serializer(component_name="ClauseNeedingReview")
class ReviewClauseSerializer(_ClauseHeadSerializer):
    awaiting = ReasonSerializer(many=True, help_text="Conditions an officer must judge.")


@extend_schema_serializer(component_name="NearMiss")
class NearMissSerializer(serializers.Serializer):
    code = serializers.CharField()
    title_zh = serializers.CharField()
    title_en = serializers.CharField()
    met = serializers.IntegerField()
    total = serializers.IntegerField()
    unmet = ReasonSerializer(many=True)


@extend_schema_serializer(component_name="SupersededClause")
class SupersededSerializer(serializers.Serializer):
    code = serializers.CharField()
    superseded_by = serializers.ListField(child=serializers.CharField())
    reason_zh = serializers.CharField()
    reason_en = serializers.CharField()


# ---------------------------------------------------------------- the view

EXAMPLE_FACTS = {
    "org_type": "enterprise",
    "registered_in_chongqing": True,
    "future_industry_field": "embodied_ai",
    "intl_standard_role": "lead",
    "intl_standard_published_on": "2026-03-01",
}
EXAMPLE_CITATION = {
    "document": "FIM",
    "article": "4.促进知识产权运营转化",
    "article_key": "4",
    "text": "对发布的未来产业领域国际标准、国家标准的牵头制修订企业，分别给予最高50万元、30万元支持",
}


class EligibilityCheckApi(APIView):
    """Which clauses an applicant's stated facts qualify for, on a day, under a published rule version."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonymousCheckThrottle]
    throttle_scope = "eligibility"
    parser_classes = [StrictJSONParser]

    @extend_schema_serializer(component_name="Check")
    class InputSerializer(serializers.Serializer):
        as_of = IsoDateField(required=False, help_text="YYYY-MM-DD; default: today in Asia/Shanghai.")
        facts = serializers.DictField(
            help_text="Fact code → value, as listed by GET /api/v1/facts/; leave out what is not stated."
        )
        ruleset_version = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=2**31 - 1,
            help_text="A published rule version to evaluate against; default: the current one.",
        )
        unsure = serializers.ListField(
            child=serializers.CharField(max_length=60), required=False, max_length=200,
            help_text="Facts answered 不确定 (not sure): a clause that would apply if they held needs review.",
        )

        def to_internal_value(self, data):
            if not isinstance(data, dict):
                raise serializers.ValidationError(
                    {api_settings.NON_FIELD_ERRORS_KEY: [serializers.ErrorDetail(
                        render("invalid_type", {"expected": Message("expected_object")}), code="invalid_type")]}
                )
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {unknown[0]: [serializers.ErrorDetail(render("unknown_field"), code="unknown_field")]}
                )
            return super().to_internal_value(data)

    @extend_schema_serializer(component_name="CheckResult")
    class OutputSerializer(serializers.Serializer):
        as_of = serializers.DateField()
        ruleset_version = serializers.IntegerField()
        eligible = EligibleClauseSerializer(many=True)
        needs_review = ReviewClauseSerializer(many=True)
        near_misses = NearMissSerializer(many=True, help_text="Clauses with at most two unmet conditions.")
        superseded = SupersededSerializer(many=True)
        relevant_facts = serializers.ListField(
            child=serializers.CharField(), help_text="Facts stated or still able to change the answer."
        )

    @extend_schema(
        tags=["eligibility"],
        operation_id="eligibility_check",
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: ErrorSerializer,
            413: ErrorSerializer,
            429: ErrorSerializer,
            503: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "An enterprise that led an international standard",
                value={"as_of": "2026-06-01", "facts": EXAMPLE_FACTS},
                request_only=True,
            ),
            OpenApiExample(
                "Eligible for FIM-4.2",
                value={
                    "as_of": "2026-06-01",
                    "ruleset_version": 1,
                    "eligible": [
                        {
                            "code": "FIM-4.2",
                            "title_zh": "牵头制修订已发布的未来产业领域国际标准",
                            "title_en": "Lead drafter of a published international standard in a future-industry field",
                            "kind": "subsidy",
                            "amount_yuan": 500000,
                            "amount_kind": "cap",
                            "lead_bureau": "市经济信息委",
                            "bureaus": ["市经济信息委", "市知识产权局"],
                            "citation": EXAMPLE_CITATION,
                            "because": [
                                {
                                    "fact": "as_of",
                                    "message_zh": "在政策有效期内（2026-01-01至2027-12-31）",
                                    "message_en": "Within the policy's validity (2026-01-01 to 2027-12-31)",
                                },
                                {
                                    "fact": "intl_standard_role",
                                    "message_zh": "为国际标准的牵头制修订单位",
                                    "message_en": "Lead drafter of the international standard",
                                },
                            ],
                        }
                    ],
                    "needs_review": [],
                    "near_misses": [
                        {
                            "code": "FIM-4.3",
                            "title_zh": "牵头制修订已发布的未来产业领域国家标准",
                            "title_en": "Lead drafter of a published national standard in a future-industry field",
                            "met": 3,
                            "total": 6,
                            "unmet": [
                                {
                                    "fact": "national_standard_role",
                                    "message_zh": "为国家标准的牵头制修订单位",
                                    "message_en": "Lead drafter of the national standard",
                                }
                            ],
                        }
                    ],
                    "superseded": [],
                    "relevant_facts": ["future_industry_field", "intl_standard_role", "org_type"],
                },
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "An impossible date",
                value={"code": "invalid_date", "message": "2026-02-30 is not a real date.", "field": "as_of"},
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request):
        arguments = plain_input(request.data)
        if arguments is None:  # anything unusual: the serializer decides, and names the field
            serializer = self.InputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            arguments = serializer.validated_data
        return Response(eligibility_check(**arguments))


@extend_schema_serializer(component_name="RelevantFacts")
class RelevantFactsInputSerializer(EligibilityCheckApi.InputSerializer):
    declined = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=200,
        help_text="Facts asked and left empty (does not apply): a condition on them fails, as in the check.",
    )
    topics = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, allow_null=True, max_length=50,
        help_text="Sections to narrow the interview to (see `topics` in the answer); leave out for all.",
    )


class RelevantFactsApi(APIView):
    """Which facts can still change some clause's answer, given what is known, and the next ones to ask in steps."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonymousCheckThrottle]
    throttle_scope = "eligibility"
    parser_classes = [StrictJSONParser]

    @extend_schema_serializer(component_name="RelevantFactsResult")
    class OutputSerializer(serializers.Serializer):
        as_of = serializers.DateField()
        ruleset_version = serializers.IntegerField()
        relevant_facts = serializers.ListField(
            child=serializers.CharField(),
            help_text="Facts not yet answered that some still-open clause needs, in questionnaire order.")
        steps = serializers.ListField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="The next questions in short steps (at most 5 each): the opening ones (who, where, which "
                      "field) first, then each open clause's next fact. Ask the first step, then ask again.")
        done = serializers.BooleanField(help_text="No question can change the answer any more: run the check.")
        open_clauses = serializers.ListField(child=serializers.CharField())
        unsure_clauses = serializers.ListField(
            child=serializers.CharField(), help_text="Clauses that rest on answers given as not sure.")
        out_of_scope = serializers.ListField(
            child=serializers.CharField(), help_text="Clauses outside the chosen topics: not asked about.")
        topics = serializers.ListField(child=serializers.CharField(), help_text="The sections one can narrow to.")

    @extend_schema(
        tags=["eligibility"],
        operation_id="eligibility_relevant_facts",
        request=RelevantFactsInputSerializer,
        responses={200: OutputSerializer, 400: ErrorSerializer, 413: ErrorSerializer, 429: ErrorSerializer,
                   503: ErrorSerializer},
        examples=[
            OpenApiExample(
                "An enterprise in embodied AI, asking about standards",
                value={"as_of": "2026-06-01", "topics": ["standards"], "declined": ["national_standard_field"],
                       "facts": {"org_type": "enterprise", "registered_in_chongqing": True,
                                 "future_industry_field": "embodied_ai", "intl_standard_field": "embodied_ai"}},
                request_only=True,
            ),
            OpenApiExample(
                "Two questions left",
                value={"as_of": "2026-06-01", "ruleset_version": 1,
                       "relevant_facts": ["future_patent_applicant", "intl_standard_role", "intl_standard_published_on",
                                          "prior_support_same_item"],
                       "steps": [["future_patent_applicant", "intl_standard_role", "intl_standard_published_on"]],
                       "done": False, "open_clauses": ["FIM-4.1", "FIM-4.2"], "unsure_clauses": [],
                       "out_of_scope": ["FIM-1.1"], "topics": ["projects", "platforms", "standards"]},
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request):
        serializer = RelevantFactsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(eligibility_relevant(**serializer.validated_data))


INPUT_FIELDS = frozenset({"as_of", "facts", "ruleset_version"})


def plain_input(data) -> dict | None:
    """The InputSerializer's validated data for a body it would accept as it stands, else None.

    Most bodies are {"as_of": "YYYY-MM-DD", "facts": {…}}: taking them without building a serializer
    per request is a fifth of the API's own time. Whatever this does not recognise at once goes
    through the serializer, so every refusal is the serializer's.
    """
    if type(data) is not dict or not data.keys() <= INPUT_FIELDS or type(data.get("facts")) is not dict:
        return None
    out = {"facts": data["facts"]}
    if "as_of" in data:
        try:
            out["as_of"] = parse_iso_date(data["as_of"], "as_of") if type(data["as_of"]) is str else None
        except FactError:
            return None
        if out["as_of"] is None:
            return None
    if "ruleset_version" in data:
        number = data["ruleset_version"]
        if type(number) is not int or not 1 <= number <= 2**31 - 1:
            return None
        out["ruleset_version"] = number
    return out
