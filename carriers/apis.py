"""Carriers API: the public registers and targets dashboard; IIC scoring and ranking; assessments; recognition details.

One view per use case, each calling one selector or service. The registers, the dashboard,
the 附件2 indicators and the scoring calculator need no sign-in.
"""
from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.exceptions import NotAuthenticated
from rest_framework.views import APIView

from accounts.permissions import IsApplicant, IsBureauOfficer
from policy_portal.exceptions import NotFound
from policy_portal.pagination import CataloguePagination, get_paginated_response

from . import services
from .dashboard import dashboard_rows
from .models import Adjustment, CentreChange, Rating
from .scoring import score_sheet
from .selectors import (
    REGISTERS,
    centre_changes_for,
    iic_ranking,
    indicator_table,
    register_entries,
    register_entry,
    status_history,
)
from .services.changes import change_actions

TAG = ["carriers"]
TEXT = "Chinese, as the documents print it."


# ---------------------------------------------------------------- registers (public)


class AssessmentSummarySerializer(serializers.Serializer):
    """One year's result: the rating (excellent, good, pass, fail) and, for PIC-4, whether the complex was named."""

    year = serializers.IntegerField()
    rating = serializers.CharField(help_text="excellent, good, pass or fail")
    named = serializers.BooleanField(default=False, help_text="PIC-4: rated excellent, named and given a plaque.")


class CarrierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    district = serializers.CharField()
    future_industry_field = serializers.CharField(help_text="A future_industry_field choice, or empty.")
    recognised_on = serializers.DateField()
    status = serializers.CharField(help_text="Dynamic management: active, warned (rectification ordered) or exited.")
    status_changed_on = serializers.DateField(allow_null=True)


class InstituteSerializer(CarrierSerializer):
    mode = serializers.CharField(help_text="RIE 一（三）: government_led, academic_led, enterprise_led or institution_led.")
    functions = serializers.ListField(child=serializers.CharField(), help_text="rie_functions choices.")
    assessments = AssessmentSummarySerializer(many=True, help_text="RIE-2, latest first.")


class MemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()


class ComplexSerializer(CarrierSerializer):
    complex_kind = serializers.CharField(source="kind", help_text="enterprise_led or research_led (PIC 二（一）).")
    lead_unit = serializers.CharField()
    governance_complete = serializers.BooleanField(help_text="PIC-2: 理事会, 专家委员会, 秘书处 and a signed charter.")
    charter_signed_on = serializers.DateField(allow_null=True)
    operating_as_entity = serializers.BooleanField()
    members = MemberSerializer(many=True)
    assessments = AssessmentSummarySerializer(many=True, help_text="PIC-4, latest first.")


class IncubatorAssessmentSummarySerializer(AssessmentSummarySerializer):
    conversion_rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    survival_rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)


class IncubatorSerializer(CarrierSerializer):
    carrier_kind = serializers.CharField(source="kind", help_text="INC 一: a carrier_kind choice.")
    incubator_level = serializers.CharField(source="level")
    miit_grade = serializers.CharField()
    assessments = IncubatorAssessmentSummarySerializer(many=True, help_text="INC-2, latest first.")


class AnnualReportSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rating = serializers.CharField(allow_blank=True)
    submitted_on = serializers.DateField(allow_null=True)


class EvaluationSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    evaluator = serializers.CharField()
    result = serializers.CharField()
    adjustment = serializers.CharField()


class FraudSummarySerializer(serializers.Serializer):
    verified_on = serializers.DateField()
    adjustment = serializers.CharField()
    credit_platform_listed = serializers.BooleanField()


class CentreSerializer(CarrierSerializer):
    lead_unit = serializers.CharField()
    supervising_bureau = serializers.CharField(source="supervising_bureau.short_name_zh", allow_null=True, default=None)
    centre_status = serializers.CharField(source="status", help_text="The same as status (kept for older clients).")
    functions = serializers.ListField(child=serializers.CharField(), help_text="iic_functions choices.")
    annual_reports = AnnualReportSummarySerializer(many=True, help_text="IIC-13, latest first.")
    evaluations = EvaluationSummarySerializer(many=True, help_text="IIC-14, latest first.")
    fraud_findings = FraudSummarySerializer(many=True, help_text="IIC-15.")


class RegisterListApi(APIView):
    """A public register: recognised entries, newest first."""
    pagination_class = CataloguePagination

    permission_classes = [AllowAny]
    register_slug = ""
    output_serializer = CarrierSerializer

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, max_length=100, help_text="Name, district, field or lead unit.")
        sub = serializers.CharField(required=False, max_length=30,
                                    help_text="Institutes: a mode; complexes: a complex kind; incubators: a carrier kind.")

    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return get_paginated_response(
            pagination_class=self.pagination_class, serializer_class=self.output_serializer,
            queryset=register_entries(REGISTERS[self.register_slug], **filters.validated_data), request=request, view=self,
        )


class RegisterDetailApi(APIView):
    permission_classes = [AllowAny]
    register_slug = ""
    output_serializer = CarrierSerializer

    def get(self, request, pk: int):
        entry = register_entry(REGISTERS[self.register_slug], pk)
        if entry is None:
            raise NotFound("not_found")
        return Response(self.output_serializer(entry).data)


def _register_views(slug: str, serializer, label: str):
    list_view = extend_schema(tags=TAG, parameters=[RegisterListApi.FilterSerializer],
                              responses=serializer(many=True), summary=f"The register of {label} (public)")(
        type(f"{serializer.__name__.removesuffix('Serializer')}ListApi", (RegisterListApi,),
             {"register_slug": slug, "output_serializer": serializer, "__doc__": f"The public register of {label}."}))
    detail_view = extend_schema(tags=TAG, responses=serializer, summary=f"One entry of the register of {label} (public)")(
        type(f"{serializer.__name__.removesuffix('Serializer')}DetailApi", (RegisterDetailApi,),
             {"register_slug": slug, "output_serializer": serializer, "__doc__": f"One of the {label}."}))
    return list_view, detail_view


InstituteListApi, InstituteDetailApi = _register_views("institutes", InstituteSerializer, "industry research institutes (RIE)")
ComplexListApi, ComplexDetailApi = _register_views("complexes", ComplexSerializer, "industry innovation complexes (PIC)")
IncubatorListApi, IncubatorDetailApi = _register_views("incubators", IncubatorSerializer, "incubation carriers (INC)")
CentreListApi, CentreDetailApi = _register_views("centres", CentreSerializer, "municipal industry innovation centres (IIC)")


class StatusEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="created_at")
    from_status = serializers.CharField(source="data.from")
    to_status = serializers.CharField(source="data.to")
    cause = serializers.CharField(source="data.cause", help_text="warn, restore, exit (an officer), assessment "
                                                                 "(rated fail), evaluation (IIC-14) or fraud (IIC-15).")
    bureau = serializers.CharField(source="bureau.short_name_zh", allow_null=True, default=None)


class RegisterStatusApi(APIView):
    """The dynamic management of a register entry (RIE 三（三）, PIC 二（二）, INC 三（二）, IIC 第十四条、第十五条)."""

    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["warn", "restore", "exit"],
                                         help_text="warn: active → warned; restore: warned → active; exit: → exited.")
        reason = serializers.CharField(max_length=2000, help_text="Why; kept with the event.")

    class OutputSerializer(serializers.Serializer):
        status = serializers.CharField()
        status_changed_on = serializers.DateField(allow_null=True)
        history = StatusEventSerializer(many=True)

    def _answer(self, slug: str, pk: int):
        register = REGISTERS[slug]
        entry = register_entry(register, pk)
        if entry is None:
            raise NotFound("not_found")
        return Response(self.OutputSerializer({"status": entry.status, "status_changed_on": entry.status_changed_on,
                                               "history": status_history(register, entry)}).data)

    @extend_schema(tags=TAG, responses=OutputSerializer, summary="An entry's status and the events that moved it (public)")
    def get(self, request, slug: str, pk: int):
        return self._answer(slug, pk)

    @extend_schema(tags=TAG, request=InputSerializer, responses=OutputSerializer,
                   summary="Warn, restore or exit an entry (officers of the bureaus that assess it)",
                   description="Refused with not_responsible_bureau (403), status_transition_not_allowed (409) or "
                               "reason_required (400).")
    def post(self, request, slug: str, pk: int):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.register_status_change(actor=request.user, slug=slug, carrier_id=pk, **data.validated_data)
        return self._answer(slug, pk)


# ---------------------------------------------------------------- dashboard (public)


class DashboardApi(APIView):
    """The targets of PIC-3 (2025, 2027, 2029) and RIE 一（四） (2027), each with the actual figure from the registers."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        key = serializers.CharField()
        year = serializers.IntegerField()
        document = serializers.CharField()
        article = serializers.CharField()
        clause = serializers.CharField(help_text="PIC-3, or empty for RIE's targets (no catalogue clause).")
        quote = serializers.CharField(help_text="The target's words, an exact passage of the article.")
        name_zh = serializers.CharField()
        name_en = serializers.CharField()
        op = serializers.CharField(help_text="gte (以上, 不少于, 达到) or gt (超).")
        target = serializers.FloatField()
        unit = serializers.CharField()
        actual = serializers.FloatField(allow_null=True, help_text="null when no assessment has reported the figure yet.")
        met = serializers.BooleanField(allow_null=True)
        progress = serializers.IntegerField(allow_null=True, help_text="actual ÷ target, in percent, at most 100.")

    @extend_schema(tags=TAG, responses=OutputSerializer(many=True), summary="The targets dashboard (public)")
    def get(self, request):
        return Response(self.OutputSerializer(dashboard_rows(), many=True).data)


# ---------------------------------------------------------------- IIC: indicators, scoring, ranking


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    weight = serializers.IntegerField()


class SecondLevelSerializer(serializers.Serializer):
    key = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    points = serializers.IntegerField()
    indicators = IndicatorSerializer(many=True, source="children")


class FirstLevelSerializer(serializers.Serializer):
    key = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    points = serializers.IntegerField()
    second_level = SecondLevelSerializer(many=True, source="children")


class IndicatorTableApi(APIView):
    """附件2 重庆市产业创新中心评价指标体系: the indicators with their points and weights, and the bonus items."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        first_level = FirstLevelSerializer(many=True)
        bonus_items = IndicatorSerializer(many=True)
        bonus_cap = serializers.IntegerField()
        max_total = serializers.IntegerField()

    @extend_schema(tags=TAG, responses=OutputSerializer, summary="The IIC evaluation indicators (附件2, public)")
    def get(self, request):
        return Response(self.OutputSerializer(indicator_table()).data)


class ScoreSheetInputSerializer(serializers.Serializer):
    scores = serializers.DictField(help_text="Every third-level indicator key → a score from 0 to its weight (≤ 2 decimals).")
    bonus = serializers.DictField(required=False, help_text="Bonus item key → a score from 0 to its weight; omitted = 0.")


class TotalsSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.FloatField())
    bonus = serializers.DictField(child=serializers.FloatField())
    by_second_level = serializers.DictField(child=serializers.FloatField())
    by_first_level = serializers.DictField(child=serializers.FloatField())
    base_total = serializers.FloatField(help_text="At most 100.")
    bonus_claimed = serializers.FloatField()
    bonus_total = serializers.FloatField(help_text="At most the cap of 10.")
    total = serializers.FloatField(help_text="At most 110.")
    max_total = serializers.IntegerField()


class ScoringApi(APIView):
    """Total a score sheet on 附件2 without storing it; a 400 names the indicator at fault (field scores.<key>)."""

    permission_classes = [AllowAny]

    @extend_schema(tags=TAG, request=ScoreSheetInputSerializer, responses=TotalsSerializer,
                   summary="Total an IIC score sheet (public calculator)")
    def post(self, request):
        data = ScoreSheetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        totals = score_sheet(indicator_table(), data.validated_data["scores"], data.validated_data.get("bonus"))
        return Response(TotalsSerializer(totals.as_dict()).data)


class ScoreSheetApi(APIView):
    """An officer of the district 主管单位 or of 市发展改革委 stores the bureau's score sheet for an IIC-12 application."""

    permission_classes = [IsAuthenticated, IsBureauOfficer]

    class OutputSerializer(serializers.Serializer):
        application = serializers.CharField(source="application.reference")
        bureau = serializers.CharField(source="bureau.short_name_zh")
        scored_by = serializers.CharField(source="scored_by.username")
        totals = TotalsSerializer()
        updated_at = serializers.DateTimeField()

    @extend_schema(tags=TAG, request=ScoreSheetInputSerializer, responses={201: OutputSerializer},
                   summary="Score an IIC-12 application on 附件2")
    def post(self, request, pk: int):
        data = ScoreSheetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.iic_score_sheet_save(actor=request.user, application_id=pk, scores=data.validated_data["scores"],
                                              bonus=data.validated_data.get("bonus"))
        totals = score_sheet(indicator_table(), sheet.scores, sheet.bonus).as_dict()
        out = {"application": sheet.application, "bureau": sheet.bureau, "scored_by": sheet.scored_by,
               "totals": totals, "updated_at": sheet.updated_at}
        return Response(self.OutputSerializer(out).data, status=status.HTTP_201_CREATED)


class SelfAssessmentApi(APIView):
    """IIC-12: the applicant's own 附件2 evaluation form, part of the application and required before submitting;
    both stages of reviewers read it (the iic-parts page)."""

    permission_classes = [IsAuthenticated, IsApplicant]

    class OutputSerializer(serializers.Serializer):
        application = serializers.CharField(source="application.reference")
        scored_by = serializers.CharField(source="scored_by.username")
        totals = TotalsSerializer()
        updated_at = serializers.DateTimeField()

    @extend_schema(tags=TAG, request=ScoreSheetInputSerializer, responses={200: OutputSerializer},
                   summary="Fill in the self-assessment on 附件2 of an IIC-12 application (draft or returned)")
    def put(self, request, pk: int):
        data = ScoreSheetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.iic_self_assessment_save(actor=request.user, application_id=pk,
                                                  scores=data.validated_data["scores"],
                                                  bonus=data.validated_data.get("bonus"))
        totals = score_sheet(indicator_table(), sheet.scores, sheet.bonus).as_dict()
        out = {"application": sheet.application, "scored_by": sheet.scored_by, "totals": totals,
               "updated_at": sheet.updated_at}
        return Response(self.OutputSerializer(out).data)


class RankingApi(APIView):
    """Scored IIC-12 applications the officer's bureau handles, by total (ties by name)."""

    permission_classes = [IsAuthenticated, IsBureauOfficer]

    class OutputSerializer(serializers.Serializer):
        position = serializers.IntegerField()
        name = serializers.CharField()
        application = serializers.CharField(source="application.reference")
        lead_unit = serializers.CharField(source="application.organisation.name")
        base_total = serializers.FloatField(source="sheet.base_total")
        bonus_total = serializers.FloatField(source="sheet.bonus_total")
        total = serializers.FloatField()
        scored_by_bureau = serializers.CharField(source="sheet.bureau.short_name_zh")

    @extend_schema(tags=TAG, responses=OutputSerializer(many=True), summary="Rank the proposed centres by total")
    def get(self, request):
        return Response(self.OutputSerializer(iic_ranking(request.user), many=True).data)


# ---------------------------------------------------------------- assessments (officers)


class AssessmentApi(APIView):
    """Enter (or correct) one year's assessment; only officers of the clause's responsible bureaus."""

    permission_classes = [IsAuthenticated, IsBureauOfficer]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        created = serializers.BooleanField(default=True)

    def _respond(self, obj):
        return Response({"id": obj.pk}, status=status.HTTP_201_CREATED)


class InstituteAssessmentApi(AssessmentApi):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        rating = serializers.ChoiceField(choices=Rating.choices)
        incubated_future_enterprises = serializers.IntegerField(min_value=0)
        technical_services = serializers.IntegerField(min_value=0, help_text="含委托研发、技术转让等.")
        notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: AssessmentApi.OutputSerializer},
                   summary="RIE-2: an institute's annual performance evaluation (市经济信息委)")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.institute_assessment_record(actor=request.user, institute_id=pk, **data.validated_data))


class ComplexAssessmentApi(AssessmentApi):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        rating = serializers.ChoiceField(choices=Rating.choices, help_text="excellent names the complex (命名授牌).")
        operating_as_entity = serializers.BooleanField()
        rd_spend_yuan = serializers.IntegerField(min_value=0, default=0)
        revenue_yuan = serializers.IntegerField(min_value=0, default=0)
        new_product_sales_yuan = serializers.IntegerField(min_value=0, default=0)
        key_tech_tasks = serializers.IntegerField(min_value=0, default=0)
        needs_solved = serializers.IntegerField(min_value=0, default=0)
        typical_cases = serializers.IntegerField(min_value=0, default=0)
        notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: AssessmentApi.OutputSerializer},
                   summary="PIC-4: a complex's performance evaluation (市经济信息委, 市科技局)")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.complex_assessment_record(actor=request.user, complex_id=pk, **data.validated_data))


class IncubatorAssessmentApi(AssessmentApi):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        conversion_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
        survival_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
        incubated_valuation_yuan = serializers.IntegerField(min_value=0)
        rating = serializers.ChoiceField(choices=Rating.choices)
        notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: AssessmentApi.OutputSerializer},
                   summary="INC-2: an incubation carrier's evaluation (市经济信息委, 市科技局)")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.incubator_assessment_record(actor=request.user, carrier_id=pk, **data.validated_data))


class CentreAnnualReportApi(AssessmentApi):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        rating = serializers.ChoiceField(choices=Rating.choices)
        summary = serializers.CharField(max_length=5000)
        submitted_on = serializers.DateField()

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: AssessmentApi.OutputSerializer},
                   summary="IIC-13: the 主管单位's annual assessment of a centre")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.centre_annual_report_record(actor=request.user, centre_id=pk, **data.validated_data))


class CentreEvaluationApi(AssessmentApi):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        evaluator = serializers.CharField(max_length=120)
        rating = serializers.ChoiceField(choices=Rating.choices, source="result", help_text="The evaluation result.")
        adjustment = serializers.ChoiceField(choices=Adjustment.choices)
        feedback = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: AssessmentApi.OutputSerializer},
                   summary="IIC-14: a third-party evaluation and the dynamic adjustment (市发展改革委)")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.centre_evaluation_record(actor=request.user, centre_id=pk, **data.validated_data))


class CentreFraudApi(AssessmentApi):
    class InputSerializer(serializers.Serializer):
        verified_on = serializers.DateField()
        description = serializers.CharField(max_length=5000)
        adjustment = serializers.ChoiceField(choices=Adjustment.choices, help_text="rectify or remove (retain is refused).")
        credit_platform_listed = serializers.BooleanField(default=True)

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: AssessmentApi.OutputSerializer},
                   summary="IIC-15: verified fraud, the adjustment and the credit-platform listing (市发展改革委)")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.centre_fraud_record(actor=request.user, centre_id=pk, **data.validated_data))


# ---------------------------------------------------------------- recognition details (applicants)


class RecognitionDetailsApi(APIView):
    """RIE-1, PIC-1/2, INC-1: the carrier's name and, for a complex, its member units and charter date."""

    permission_classes = [IsAuthenticated, IsApplicant]

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(required=False, allow_blank=True, max_length=120)
        members = MemberSerializer(many=True, required=False)
        charter_signed_on = serializers.DateField(required=False, allow_null=True)

    class OutputSerializer(serializers.Serializer):
        name = serializers.CharField()
        members = MemberSerializer(many=True)
        charter_signed_on = serializers.DateField(allow_null=True)

    @extend_schema(tags=TAG, request=InputSerializer, responses=OutputSerializer,
                   summary="Set a recognition application's details")
    def put(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        package = services.recognition_package_save(actor=request.user, application_id=pk, **data.validated_data)
        return Response(self.OutputSerializer(package).data)


class IICPlanApi(APIView):
    """IIC-12: the 组建方案 following 附件1 (summary at most 2,500 characters) and its attachments (八、附件)."""

    permission_classes = [IsAuthenticated, IsApplicant]

    class InputSerializer(serializers.Serializer):
        sections = serializers.DictField(child=serializers.CharField(allow_blank=True), help_text=(
            "附件1 sub-item → text: summary, basis_strategy, basis_market, basis_problems, basis_significance, units_lead, "
            "units_others, units_results, units_conditions, direction_main, direction_tasks, direction_strategy, "
            "direction_goals, organisation_structure, organisation_people, organisation_mechanisms, construction_site, "
            "construction_content, construction_schedule, construction_funding, construction_benefits, other_matters."))
        charter_id = serializers.IntegerField(required=False, allow_null=True, help_text="An attachment of the application.")
        supporting_ids = serializers.ListField(child=serializers.IntegerField(), required=False)

    class OutputSerializer(serializers.Serializer):
        missing = serializers.ListField(child=serializers.CharField(), help_text="Sub-items still to write or attach.")

    @extend_schema(tags=TAG, request=InputSerializer, responses=OutputSerializer,
                   parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
                   summary="Write an IIC-12 application's establishment plan")
    def put(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        plan = services.iic_plan_save(actor=request.user, application_id=pk, sections=v["sections"],
                                      charter_id=v.get("charter_id"), supporting_ids=v.get("supporting_ids"))
        return Response({"missing": services.plan_missing(plan)})


# ---------------------------------------------------------------- IIC-16 change reports


class CentreChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    centre = serializers.CharField(source="centre.name")
    centre_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CentreChange.Kind.choices, help_text="rename, lead_unit_change, bankruptcy "
                                                                                "or restructuring (第十六条).")
    description = serializers.CharField()
    registered_on = serializers.DateField(help_text="The day the change registration (变更登记) was completed.")
    due_on = serializers.DateField(help_text="30 working days later, on the official holiday calendar.")
    due_provisional = serializers.BooleanField(help_text="The due day counts a year whose holidays are not yet published.")
    reported_on = serializers.DateField(allow_null=True)
    confirmed_on = serializers.DateField(allow_null=True)
    state = serializers.SerializerMethodField(help_text="pending, overdue, reported, reported_late or confirmed.")
    allowed_actions = serializers.SerializerMethodField(help_text="report (the 主管单位), confirm (市发展改革委).")

    def get_state(self, change) -> str:
        return change.state(self.context["today"])

    def get_allowed_actions(self, change) -> list[str]:
        return change_actions(self.context["request"].user, change)


def _change_context(request) -> dict:
    return {"request": request, "today": timezone.localdate()}


class CentreChangeListApi(APIView):
    """IIC-16: the change reports the caller may see (the centre's own, its 主管单位's, all for 市发展改革委)."""

    permission_classes = [IsAuthenticated]
    pagination_class = CataloguePagination

    class FilterSerializer(serializers.Serializer):
        state = serializers.ChoiceField(required=False, choices=CentreChange.State.choices)
        centre = serializers.IntegerField(required=False, min_value=1)

    class InputSerializer(serializers.Serializer):
        centre = serializers.IntegerField(min_value=1, help_text="The centre's id in the register.")
        kind = serializers.ChoiceField(choices=CentreChange.Kind.choices)
        registered_on = serializers.DateField()
        description = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    @extend_schema(tags=TAG, parameters=[FilterSerializer], responses=CentreChangeSerializer(many=True),
                   summary="IIC-16 change reports, with their due day and state")
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        v = filters.validated_data
        changes = list(centre_changes_for(request.user, centre_id=v.get("centre")))
        if v.get("state"):
            today = timezone.localdate()
            changes = [c for c in changes if c.state(today) == v["state"]]
        return get_paginated_response(
            pagination_class=self.pagination_class, serializer_class=CentreChangeSerializer, queryset=changes,
            request=request, view=self, context=_change_context(request),
        )

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: CentreChangeSerializer},
                   summary="Declare a centre's major change (the centre or its 主管单位)",
                   description="Refused with not_centre_or_supervisor (403), invalid_choice (400, an unknown "
                               "centre), change_in_future or change_before_recognition (400). The same change declared twice is one declaration.")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        change = services.centre_change_declare(actor=request.user, centre_id=v["centre"], kind=v["kind"],
                                                registered_on=v["registered_on"],
                                                description=v.get("description", ""), today=timezone.localdate())
        return Response(CentreChangeSerializer(change, context=_change_context(request)).data,
                        status=status.HTTP_201_CREATED)


class CentreChangeActionApi(APIView):
    """Report (the 主管单位) or confirm (市发展改革委) one change."""

    permission_classes = [IsAuthenticated, IsBureauOfficer]
    action_name = ""

    @extend_schema(tags=TAG, request=None, responses=CentreChangeSerializer,
                   description="Refused with not_supervising_bureau / not_responsible_bureau (403), "
                               "change_already_reported, change_not_reported or change_already_confirmed (409).")
    def post(self, request, pk: int):
        if not centre_changes_for(request.user).filter(pk=pk).exists():
            raise NotFound("not_found")
        service = services.centre_change_report if self.action_name == "report" else services.centre_change_confirm
        change = service(actor=request.user, change_id=pk, today=timezone.localdate())
        return Response(CentreChangeSerializer(change, context=_change_context(request)).data)


CentreChangeReportApi = extend_schema(summary="Report a change to 市发展改革委 (the 主管单位)")(
    type("CentreChangeReportApi", (CentreChangeActionApi,), {"action_name": "report"}))
CentreChangeConfirmApi = extend_schema(summary="Confirm a reported change (市发展改革委)")(
    type("CentreChangeConfirmApi", (CentreChangeActionApi,), {"action_name": "confirm"}))
