"""Rule administration API: drafts, validated clause edits, review, publication, rollback, previews, checks,
spreadsheets, re-evaluation progress and the case library.

One view per use case, each making one service (or selector) call, so the pages in rules.views and
this API behave the same. Errors come back as {code, message, field} from policy_portal.errors.
"""
from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.selectors import job_get
from policy_portal.exceptions import NotFound
from policy_portal.pagination import Pagination, get_paginated_response

from . import selectors_admin as selectors
from .models import ClauseRule, GoldenCase, RuleVersion
from .operators import Operator
from .permissions import IsRuleAdministrator
from .selectors import condition_groups
from .services import (
    clause_rule_edit,
    ruleset_draft_create,
    ruleset_publish,
    ruleset_reject,
    ruleset_rollback,
    ruleset_submit,
)
from .services_cases import UNSET, golden_case_create, golden_case_update
from .spreadsheets import XLSX_CONTENT_TYPE as XLSX
from .spreadsheets import YAML_CONTENT_TYPE as YAML
from .spreadsheets import export_response, import_upload

TAG = ["rule administration"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YAML = "application/yaml"

CONDITION_SCHEMA = {
    "type": "object",
    "required": ["fact", "operator", "message_zh", "message_en"],
    "properties": {
        "fact": {"type": "string", "description": "A fact code of the vocabulary (GET /api/v1/facts/)."},
        "operator": {"type": "string", "enum": list(Operator.values), "description": "It must fit the fact's type."},
        "value": {"description": "JSON: true, \"enterprise\", [\"a\", \"b\"], 1, \"2026-01-01\"; "
                               "null for in_window, exists and review."},
        "message_zh": {"type": "string", "maxLength": 200},
        "message_en": {"type": "string", "maxLength": 250},
        "source_document": {"type": "string", "description": "Optional: the document whose words carry the condition "
                                                             "when not the clause's own (RIE, PIC, INC, IIC, FIM)."},
        "source_quote": {"type": "string", "description": "Optional: the words the condition rests on, an exact "
                                                          "passage of the document. Rows that name no source field "
                                                          "keep the words of the identical condition they replace."},
        "interpretation": {"type": "string", "description": "Optional: where no words settle it, the documented "
                                                            "reading the condition follows (docs/policy-reading.md)."},
    },
}
GROUPS_SCHEMA = {
    "type": "array",
    "description": "Groups of alternatives: every group must hold (AND); within a group, any one condition suffices (OR).",
    "items": {"type": "array", "items": CONDITION_SCHEMA},
}


@extend_schema_field(GROUPS_SCHEMA)
class ConditionGroupsField(serializers.JSONField):
    """Passed to clause_rule_edit as given, so its refusals name the row and column (conditions[1][0].operator)."""


@extend_schema_field({"type": "object", "additionalProperties": True,
                      "description": "Fact code → value, as an applicant states them."})
class FactsField(serializers.JSONField):
    pass


# ---------------------------------------------------------------- shapes


class RuleEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    note = serializers.CharField()
    data = serializers.JSONField()
    created_at = serializers.DateTimeField()


class JobSerializer(serializers.Serializer):
    """Re-evaluating the open applications after a publication."""

    id = serializers.IntegerField()
    rule_version = serializers.IntegerField(source="params.version")
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    changed = serializers.IntegerField(help_text="Applications whose outcome changed.")
    percent = serializers.IntegerField()
    finished = serializers.BooleanField()
    started_at = serializers.DateTimeField(source="created_at")
    finished_at = serializers.DateTimeField(allow_null=True)


class VersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField(help_text="draft, in_review, published, retired or rejected")
    source = serializers.CharField(help_text="fixtures, admin or rollback")
    note = serializers.CharField()
    checksum = serializers.CharField()
    based_on = serializers.IntegerField(source="based_on.number", allow_null=True, default=None)
    current = serializers.SerializerMethodField(help_text="Whether this is the version the portal answers with.")
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    submitted_by = serializers.CharField(source="submitted_by.username", allow_null=True, default=None)
    published_at = serializers.DateTimeField(allow_null=True)
    published_by = serializers.CharField(source="published_by.username", allow_null=True, default=None)

    def get_current(self, version) -> bool:
        return version.number == self.context.get("current")


class RuleConditionSerializer(serializers.Serializer):
    fact = serializers.CharField(source="fact_id")
    operator = serializers.ChoiceField(choices=Operator.choices)
    value = serializers.JSONField(allow_null=True)
    message_zh = serializers.CharField()
    message_en = serializers.CharField()
    source_document = serializers.CharField(help_text="The document whose words carry it, when not the clause's own.")
    source_quote = serializers.CharField(help_text="The words of the text the condition rests on, verbatim.")
    interpretation = serializers.CharField(help_text="Where no words settle it: the documented reading it follows.")


class ClauseRuleSerializer(serializers.Serializer):
    clause = serializers.CharField(source="clause.code")
    title_zh = serializers.CharField(source="clause.title_zh")
    title_en = serializers.CharField(source="clause.title_en")
    amount_yuan = serializers.IntegerField(allow_null=True)
    amount_kind = serializers.ChoiceField(choices=ClauseRule.AmountKind.choices)
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True, help_text="Exclusive; null when open-ended.")
    bureaus = serializers.SerializerMethodField(help_text="Short Chinese names, the lead first.")
    conditions = serializers.SerializerMethodField(help_text="Groups of alternatives, as PUT takes them.")

    def get_bureaus(self, rule) -> list[str]:
        return [b.bureau.short_name_zh for b in rule.ordered_bureaus]

    @extend_schema_field(serializers.ListField(child=RuleConditionSerializer(many=True)))
    def get_conditions(self, rule) -> list:
        return [RuleConditionSerializer(group, many=True).data for group in condition_groups(rule)]


class VersionDetailSerializer(VersionSummarySerializer):
    clause_rules = serializers.SerializerMethodField()
    events = RuleEventSerializer(many=True, source="events.all")
    latest_job = serializers.SerializerMethodField()

    @extend_schema_field(ClauseRuleSerializer(many=True))
    def get_clause_rules(self, version) -> list:
        return ClauseRuleSerializer(selectors.version_clause_rules(version), many=True).data

    @extend_schema_field(JobSerializer(allow_null=True))
    def get_latest_job(self, version) -> dict | None:
        job = selectors.reevaluation_job(version)
        return JobSerializer(job).data if job else None


def _version(number: int) -> RuleVersion:
    version = selectors.version_get(number)
    if version is None:
        raise NotFound("not_found", field="number")
    return version


def _version_response(number: int, code=status.HTTP_200_OK) -> Response:
    version = _version(number)
    return Response(VersionDetailSerializer(version, context={"current": selectors.current_number()}).data, status=code)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# ---------------------------------------------------------------- versions


class RuleVersionListApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    class InputSerializer(serializers.Serializer):
        based_on = serializers.IntegerField(required=False, min_value=1, help_text="Default: the current version.")
        note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    @extend_schema(tags=TAG, responses=VersionSummarySerializer(many=True), summary="Rule versions, newest first")
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.version_list(), request, view=self)
        data = VersionSummarySerializer(page, many=True, context={"current": selectors.current_number()}).data
        return paginator.get_paginated_response(data)

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: VersionDetailSerializer},
                   summary="Start a draft copied from a published version")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        based_on = None
        if "based_on" in v:
            based_on = selectors.version_get(v["based_on"])
            if based_on is None:
                raise NotFound("not_found", field="based_on")
        draft = ruleset_draft_create(actor=request.user, based_on=based_on, note=v.get("note", ""))
        return _version_response(draft.number, status.HTTP_201_CREATED)


class RuleVersionDetailApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    @extend_schema(tags=TAG, responses=VersionDetailSerializer,
                   summary="One version with its clause rules, conditions, history and latest re-evaluation")
    def get(self, request, number: int):
        return _version_response(number)


class ClauseRuleEditApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    class InputSerializer(serializers.Serializer):
        amount_yuan = serializers.IntegerField(allow_null=True, help_text="Whole yuan; null for none and unspecified.")
        amount_kind = serializers.ChoiceField(choices=ClauseRule.AmountKind.choices)
        effective_from = serializers.DateField()
        effective_to = serializers.DateField(allow_null=True, required=False, help_text="Exclusive; null when open-ended.")
        bureaus = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True,
                                        help_text="Short Chinese names (市经济信息委), the lead first.")
        conditions = ConditionGroupsField()

    @extend_schema(tags=TAG, request=InputSerializer, responses=ClauseRuleSerializer,
                   summary="Replace one clause's amount, window, bureaus and conditions in a draft")
    def put(self, request, number: int, code: str):
        version = _version(number)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        clause_rule_edit(
            actor=request.user, version=version, clause_code=code, amount_yuan=v["amount_yuan"],
            amount_kind=v["amount_kind"], effective_from=v["effective_from"], effective_to=v.get("effective_to"),
            bureaus=v["bureaus"], conditions=v["conditions"],
        )
        return Response(ClauseRuleSerializer(selectors.clause_rule_get(version, code)).data)


class RuleVersionSubmitApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    @extend_schema(tags=TAG, request=NoteSerializer, responses=VersionDetailSerializer, summary="Submit a draft for review")
    def post(self, request, number: int):
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ruleset_submit(actor=request.user, version=_version(number), note=data.validated_data.get("note", ""))
        return _version_response(number)


class RuleVersionPublishApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    @extend_schema(tags=TAG, request=NoteSerializer, responses=VersionDetailSerializer,
                   summary="Publish a version in review (another administrator; it must compile and pass every case)")
    def post(self, request, number: int):
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ruleset_publish(actor=request.user, version=_version(number), note=data.validated_data.get("note", ""))
        return _version_response(number)


class RuleVersionRejectApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(allow_blank=True, max_length=2000, help_text="What must change.")

    @extend_schema(tags=TAG, request=InputSerializer, responses=VersionDetailSerializer, summary="Reject a version in review")
    def post(self, request, number: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ruleset_reject(actor=request.user, version=_version(number), note=data.validated_data["note"])
        return _version_response(number)


class RuleVersionRollbackApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    @extend_schema(tags=TAG, request=NoteSerializer, responses={201: VersionDetailSerializer},
                   summary="Publish this earlier version's rules again, as a new version")
    def post(self, request, number: int):
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        restored = ruleset_rollback(actor=request.user, to_version=_version(number), note=data.validated_data.get("note", ""))
        return _version_response(restored.number, status.HTTP_201_CREATED)


# ---------------------------------------------------------------- before publishing


class ClauseStateSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField(help_text="eligible or needs_review")
    amount_yuan = serializers.IntegerField(allow_null=True)
    amount_kind = serializers.CharField()


class StatusChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class AmountChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    before_yuan = serializers.IntegerField(allow_null=True)
    before_kind = serializers.CharField()
    after_yuan = serializers.IntegerField(allow_null=True)
    after_kind = serializers.CharField()


class SubjectSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="application or case")
    key = serializers.CharField(help_text="The application's reference or the case's name.")
    clause = serializers.CharField()
    as_of = serializers.DateField()


class SubjectImpactSerializer(serializers.Serializer):
    subject = SubjectSerializer()
    gained = ClauseStateSerializer(many=True)
    lost = ClauseStateSerializer(many=True)
    status_changed = StatusChangeSerializer(many=True)
    amount_changed = AmountChangeSerializer(many=True)


class SubjectErrorSerializer(serializers.Serializer):
    subject = SubjectSerializer()
    book = serializers.CharField(help_text="current or draft")
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class ImpactTotalsSerializer(serializers.Serializer):
    subjects_evaluated = serializers.IntegerField()
    subjects_changed = serializers.IntegerField()
    gained = serializers.IntegerField()
    lost = serializers.IntegerField()
    status_changes = serializers.IntegerField()
    amount_changes = serializers.IntegerField()
    errors = serializers.IntegerField()


class ImpactSerializer(serializers.Serializer):
    current_version = serializers.IntegerField()
    draft_version = serializers.IntegerField()
    totals = ImpactTotalsSerializer()
    changes = SubjectImpactSerializer(many=True)
    errors = SubjectErrorSerializer(many=True)


class RuleVersionImpactApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    @extend_schema(tags=TAG, responses=ImpactSerializer,
                   summary="Who gains or loses which clause, and how amounts change, under this version against the current")
    def get(self, request, number: int):
        report, job = selectors.version_impact_preview(_version(number))
        if report is None:  # many subjects: a background job checks them; ask again once it has finished
            return Response({"job": {"id": job.pk, "total": job.total, "done": job.done, "finished": job.finished}},
                            status=202)
        return Response(ImpactSerializer(report).data)


class FindingSerializer(serializers.Serializer):
    severity = serializers.CharField(help_text="error, warning or info")
    code = serializers.CharField()
    clause = serializers.CharField(allow_null=True)
    fact = serializers.CharField(allow_null=True)
    message_zh = serializers.CharField()
    message_en = serializers.CharField()


class RuleVersionChecksApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    class OutputSerializer(serializers.Serializer):
        rule_version = serializers.IntegerField()
        today = serializers.DateField()
        findings = FindingSerializer(many=True)

    @extend_schema(tags=TAG, responses=OutputSerializer,
                   summary="Static checks: conditions that can never hold, double payments, unused facts, missing cases")
    def get(self, request, number: int):
        version, today = _version(number), timezone.localdate()
        findings = selectors.version_findings(version, today)
        return Response(self.OutputSerializer({"rule_version": version.number, "today": today, "findings": findings}).data)


# ---------------------------------------------------------------- spreadsheets


class RuleVersionExportXlsxApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    @extend_schema(tags=TAG, responses={(200, XLSX): OpenApiTypes.BINARY}, summary="The version as an Excel workbook")
    def get(self, request, number: int):
        return export_response(_version(number), "xlsx")


class RuleVersionExportYamlApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    @extend_schema(tags=TAG, responses={(200, YAML): OpenApiTypes.STR}, summary="The version as YAML")
    def get(self, request, number: int):
        return export_response(_version(number), "yaml")


class ImportReportSerializer(serializers.Serializer):
    rule_version = serializers.IntegerField(source="version")
    format = serializers.CharField()
    clauses = serializers.IntegerField(help_text="Clauses read from the file.")
    changed = serializers.IntegerField(source="changed_count")
    changed_clauses = serializers.ListField(child=serializers.CharField(), source="changed")


class RuleVersionImportApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=TAG,
        request={"multipart/form-data": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": "An export, edited: .xlsx or .yaml"},
            "format": {"type": "string", "enum": ["xlsx", "yaml"], "description": "Default: from the file name."},
        }}},
        responses=ImportReportSerializer,
        summary="Apply an edited export to a draft: all of it, or on the first error (named by sheet, row and column) none of it",
    )
    def post(self, request, number: int):
        report = import_upload(actor=request.user, draft=_version(number), upload=request.FILES.get("file"),
                               fmt=request.data.get("format", ""))
        return Response(ImportReportSerializer(report).data)


# ---------------------------------------------------------------- after publishing


class JobDetailApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    @extend_schema(tags=TAG, responses=JobSerializer, summary="Progress of a re-evaluation after a publication")
    def get(self, request, pk: int):
        job = job_get(pk)
        if job is None or job.kind != "reevaluation":
            raise NotFound("not_found", field="id")
        return Response(JobSerializer(job).data)


# ---------------------------------------------------------------- the case library


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    clause = serializers.CharField(source="clause.code")
    as_of = serializers.DateField()
    facts = FactsField()
    expected = serializers.ChoiceField(choices=GoldenCase.Expected.choices)
    amount_yuan = serializers.IntegerField(allow_null=True, help_text="Checked when the case is eligible.")
    source = serializers.CharField(help_text="The fixture file it was loaded from; empty when added here.")


class CaseListApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        clause = serializers.CharField(max_length=16)
        as_of = serializers.DateField()
        facts = FactsField()
        expected = serializers.ChoiceField(choices=GoldenCase.Expected.choices)
        amount_yuan = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(tags=TAG, responses=CaseSerializer(many=True), summary="The case library",
                   parameters=[OpenApiParameter("clause", str, description="Only this clause's cases, e.g. FIM-4.2")])
    def get(self, request):
        clause = request.query_params.get("clause", "").strip()[:16] or None
        return get_paginated_response(pagination_class=self.pagination_class, serializer_class=CaseSerializer,
                                      queryset=selectors.case_list(clause=clause), request=request, view=self)

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: CaseSerializer}, summary="Add a case")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = golden_case_create(actor=request.user, name=v["name"], clause_code=v["clause"], as_of=v["as_of"],
                                  facts=v["facts"], expected=v["expected"], amount_yuan=v.get("amount_yuan"))
        return Response(CaseSerializer(selectors.case_get(case.pk)).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    permission_classes = [IsAuthenticated, IsRuleAdministrator]

    class UpdateSerializer(serializers.Serializer):
        expected = serializers.ChoiceField(choices=GoldenCase.Expected.choices, required=False)
        amount_yuan = serializers.IntegerField(required=False, allow_null=True)
        as_of = serializers.DateField(required=False)
        facts = FactsField(required=False)

    @extend_schema(tags=TAG, responses=CaseSerializer, summary="One case")
    def get(self, request, pk: int):
        case = selectors.case_get(pk)
        if case is None:
            raise NotFound("not_found", field="id")
        return Response(CaseSerializer(case).data)

    @extend_schema(tags=TAG, request=UpdateSerializer, responses=CaseSerializer,
                   summary="Change what a case expects (e.g. the amount after a cap is raised)")
    def patch(self, request, pk: int):
        data = self.UpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        golden_case_update(actor=request.user, case_id=pk, **{k: data.validated_data.get(k, UNSET)
                                                             for k in ("expected", "amount_yuan", "as_of", "facts")})
        return Response(CaseSerializer(selectors.case_get(pk)).data)
