"""Applications API: create, read, edit, submit, decide and the other declared transitions; attachments."""
from __future__ import annotations

import datetime as dt

from django.http import FileResponse, HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsApplicant, IsApplicantOrOfficerOrAdmin, IsBureauOfficer
from policy_portal.errors import ErrorSerializer
from policy_portal.exceptions import DomainError, NotAllowed, NotFound
from policy_portal.pagination import Pagination, get_paginated_response

from . import limits
from .documents import application_pdf
from .models import Application
from .money import support_left_yuan
from .selectors_applications import (
    allowed_actions,
    application_consultations,
    application_detail,
    application_history,
    application_materials,
    application_or_404,
    application_queue,
    claim_warning,
    earlier_claims,
    sees_internal,
)
from .services import application_create, application_submit, application_transition, application_update
from .services.appeals import application_appeal
from .services.attachments import attachment_add
from .services.consultations import application_consult, consultation_answer
from .terms import identifier_reads_as_kind
from .workflow import DECISIONS


class EventSerializer(serializers.Serializer):
    """An event as the caller may read it (selectors_applications.application_history): the applicant sees no
    consultation, no reason officers give one another, and an officer by their bureau, not their username."""

    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField(allow_null=True, help_text="Username; for the applicant, an officer's bureau.")
    reason = serializers.CharField()
    data = serializers.JSONField()
    created_at = serializers.DateTimeField()


class EvaluationSerializer(serializers.Serializer):
    state = serializers.CharField()
    outcome = serializers.CharField()
    rule_version = serializers.IntegerField(source="rule_version.number", allow_null=True, default=None)
    as_of = serializers.DateField()
    result = serializers.JSONField()
    trace = serializers.JSONField()
    error = serializers.CharField()
    finished_at = serializers.DateTimeField(allow_null=True)


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    material = serializers.IntegerField(source="material_id", allow_null=True, help_text="The call's material it is")
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class ApplicationSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    clause = serializers.CharField(source="clause.code")
    clause_title_zh = serializers.CharField(source="clause.title_zh")
    organisation = serializers.CharField(source="organisation.name")
    district = serializers.CharField(source="organisation.district")
    status = serializers.CharField()
    stage = serializers.CharField()
    bureau = serializers.CharField(source="bureau.short_name_zh", allow_null=True, default=None)
    district_bureau = serializers.CharField(source="district_bureau.short_name_zh", allow_null=True, default=None)
    amount_requested_yuan = serializers.IntegerField(allow_null=True)
    amount_approved_yuan = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    lock_version = serializers.IntegerField()
    latest_outcome = serializers.CharField(allow_null=True, default=None, required=False)
    latest_previous_outcome = serializers.CharField(allow_null=True, default=None, required=False)
    due_on = serializers.DateField(allow_null=True, help_text="办理时限: the working day the current stage is due by")
    due_provisional = serializers.BooleanField(help_text="The due date counts a year whose holidays are not published")
    working_days_left = serializers.SerializerMethodField(help_text="0 on the due day, negative once overdue")
    overdue = serializers.SerializerMethodField()
    expected_decision_on = serializers.SerializerMethodField()

    def get_working_days_left(self, app) -> int | None:
        return limits.working_days_left(app.due_on) if app.status in limits.RUNNING else None

    def get_overdue(self, app) -> bool:
        return limits.is_overdue(app)

    def get_expected_decision_on(self, app) -> dt.date | None:
        return limits.expected_decision_on(app)


class ConsultationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    bureau = serializers.CharField(source="bureau.short_name_zh")
    question = serializers.CharField()
    answer = serializers.CharField()
    requested_by = serializers.CharField(source="requested_by.username")
    answered_by = serializers.CharField(source="answered_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


class CallBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title_zh = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField(allow_null=True, help_text="null: rolling (常年受理)")
    status = serializers.CharField()


class MaterialRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="material.pk")
    name_zh = serializers.CharField(source="material.name_zh")
    name_en = serializers.CharField(source="material.name_en")
    required = serializers.BooleanField(source="material.required")
    extensions = serializers.ListField(child=serializers.CharField(), source="material.extensions")
    template_url = serializers.SerializerMethodField()
    attachment = AttachmentSerializer(allow_null=True)

    def get_template_url(self, row) -> str | None:
        m = row["material"]
        return reverse("programmes:template", args=[m.call_id, m.pk]) if m.template else None


class EarlierClaimSerializer(serializers.Serializer):
    reference = serializers.CharField(source="application.reference")
    clause = serializers.CharField(source="application.clause.code")
    status = serializers.CharField(source="application.status")
    submitted_at = serializers.DateTimeField(source="application.submitted_at", allow_null=True)
    id = serializers.SerializerMethodField(help_text="Present when the caller may open that application.")

    def get_id(self, claim) -> int | None:
        return claim["application"].pk if claim["visible"] else None


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class AppealSerializer(serializers.Serializer):
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    assigned_to = serializers.CharField(source="assigned_to.username", allow_null=True, default=None)
    outcome = serializers.CharField(help_text="pending, upheld or overturned")
    decision = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    files = AttachmentSerializer(many=True)


class ApplicationDetailSerializer(ApplicationSummarySerializer):
    facts = serializers.JSONField()
    as_of = serializers.DateField()
    description = serializers.CharField()
    achievement_kind = serializers.CharField(help_text="How the item is identified: the clause's achievement kind "
                                                       "(catalogue.achievements.KINDS); empty when it rewards no item.")
    achievement_key = serializers.CharField(help_text="The item's identifier, as stated.")
    achievement_normalised = serializers.CharField(help_text="The identifier in the one form two statements of the "
                                                             "same item share (就新、不重复).")
    achievement_reads_as_kind = serializers.SerializerMethodField(
        help_text="False when the identifier does not read as its kind's scheme (an officer confirms it).")
    earlier_claims = serializers.SerializerMethodField(
        help_text="就新、不重复: the organisation's other applications claiming the same normalised item, oldest first.")
    warnings = serializers.SerializerMethodField(help_text="What the applicant and the officer should know; not refusals.")
    evaluation = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True)
    consultations = serializers.SerializerMethodField(help_text="Between bureaus: officers only (empty for the applicant).")
    appeals = serializers.SerializerMethodField(help_text="The officers' usernames are null for the applicant.")
    appeal_until = serializers.SerializerMethodField(help_text="A rejection: the last day to appeal (复核)")
    allowed_actions = serializers.SerializerMethodField()
    call = serializers.SerializerMethodField(help_text="The call it is (or will be) submitted under; null: rolling")
    materials = serializers.SerializerMethodField(help_text="The call's materials, each with the file uploaded for it")

    def _materials(self, app):
        """The call and its material rows, read once for both fields (as _claims does for the earlier claims)."""
        if not hasattr(app, "_materials"):
            app._materials = application_materials(app)
        return app._materials

    @extend_schema_field(CallBriefSerializer(allow_null=True))
    def get_call(self, app) -> dict | None:
        call, _rows = self._materials(app)
        return CallBriefSerializer(call).data if call else None

    @extend_schema_field(MaterialRowSerializer(many=True))
    def get_materials(self, app) -> list[dict]:
        return MaterialRowSerializer(self._materials(app)[1], many=True).data
    support_left_yuan = serializers.SerializerMethodField(
        help_text="What the organisation has left this year under the yearly cap on FIM support; null: no cap.")

    def get_appeal_until(self, app) -> dt.date | None:
        return limits.appeal_deadline(app) if app.status == "rejected" else None

    @extend_schema_field(AppealSerializer(many=True))
    def get_appeals(self, app) -> list:
        data = AppealSerializer(app.appeals.all(), many=True).data
        if not sees_internal(self.context["request"].user):
            data = [{**a, "assigned_to": None, "decided_by": None} for a in data]
        return data

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, app) -> list:
        return EventSerializer(application_history(self.context["request"].user, app), many=True).data

    @extend_schema_field(ConsultationSerializer(many=True))
    def get_consultations(self, app) -> list:
        return ConsultationSerializer(application_consultations(self.context["request"].user, app), many=True).data

    @extend_schema(responses=EvaluationSerializer(allow_null=True))
    def get_evaluation(self, app) -> dict | None:
        latest = next(iter(app.evaluations.all()), None)
        return EvaluationSerializer(latest).data if latest else None

    def _claims(self, app) -> list[dict]:
        if not hasattr(app, "_earlier_claims"):
            app._earlier_claims = earlier_claims(self.context["request"].user, app)
        return app._earlier_claims

    @extend_schema_field(EarlierClaimSerializer(many=True))
    def get_earlier_claims(self, app) -> list[dict]:
        return EarlierClaimSerializer(self._claims(app), many=True).data

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, app) -> list[dict]:
        warning = claim_warning(self._claims(app), app)
        return [{"code": warning.code, "message": str(warning)}] if warning else []

    def get_achievement_reads_as_kind(self, app) -> bool:
        return identifier_reads_as_kind(app.achievement_kind, app.achievement_key)

    def get_allowed_actions(self, app) -> list[str]:
        return allowed_actions(self.context["request"].user, app)

    def get_support_left_yuan(self, app) -> int | None:
        return support_left_yuan(app.organisation_id)


def _detail_response(request, app_id, code=status.HTTP_200_OK):
    app = application_or_404(request.user, app_id)
    return Response(ApplicationDetailSerializer(app, context={"request": request}).data, status=code)


class ApplicationListApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated, IsApplicantOrOfficerOrAdmin]

    class FilterSerializer(serializers.Serializer):
        clause = serializers.CharField(required=False, max_length=16)
        status = serializers.ChoiceField(required=False, choices=[s for s, _ in Application._meta.get_field("status").choices])
        district = serializers.CharField(required=False, max_length=40)
        submitted_from = serializers.DateField(required=False)
        submitted_to = serializers.DateField(required=False)
        q = serializers.CharField(required=False, max_length=100)
        changed = serializers.BooleanField(required=False, help_text="Only those whose eligibility a rule update changed")
        overdue = serializers.BooleanField(required=False, help_text="Only those past their time limit (办理时限)")
        sort = serializers.ChoiceField(required=False, choices=["newest", "due"], default="newest",
                                       help_text="due: the nearest due date first")

    class InputSerializer(serializers.Serializer):
        clause = serializers.CharField(max_length=16)
        facts = serializers.DictField()
        amount_requested_yuan = serializers.IntegerField(required=False, allow_null=True, min_value=0)
        description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
        as_of = serializers.DateField(required=False)
        achievement_key = serializers.CharField(
            required=False, allow_blank=True, max_length=160,
            help_text="The identifier of the item applied for, of the clause's achievement kind (a standard's number "
                      "with its year, a 国药准字 number, a recognition list and year, a project number …). Required "
                      "before submitting under a clause that pays for an item.")

    @extend_schema(parameters=[FilterSerializer], responses=ApplicationSummarySerializer(many=True),
                   summary="Applications the caller may see")
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return get_paginated_response(
            pagination_class=self.pagination_class, serializer_class=ApplicationSummarySerializer,
            queryset=application_queue(request.user, **filters.validated_data), request=request, view=self,
        )

    @extend_schema(
        request=InputSerializer, responses={201: ApplicationDetailSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                                     description="Repeat a create safely: the same key returns the same draft.")],
        summary="Start a draft application under one clause",
    )
    def post(self, request):
        if not IsApplicant().has_permission(request, self):
            raise NotAllowed("not_applicant")
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        app = application_create(
            actor=request.user, clause_code=v["clause"], facts=v["facts"],
            amount_requested_yuan=v.get("amount_requested_yuan"), description=v.get("description", ""),
            as_of=v.get("as_of"), achievement_key=v.get("achievement_key", ""),
            idempotency_key=request.headers.get("Idempotency-Key", "")[:64],
        )
        return _detail_response(request, app.pk, status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    permission_classes = [IsAuthenticated, IsApplicantOrOfficerOrAdmin]

    class UpdateSerializer(serializers.Serializer):
        facts = serializers.DictField(required=False)
        amount_requested_yuan = serializers.IntegerField(required=False, allow_null=True, min_value=0)
        description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
        achievement_key = serializers.CharField(required=False, allow_blank=True, max_length=160)

    @extend_schema(responses=ApplicationDetailSerializer, summary="One application with its evaluation and history")
    def get(self, request, pk: int):
        return _detail_response(request, pk)

    @extend_schema(request=UpdateSerializer, responses=ApplicationDetailSerializer, summary="Edit a draft or returned application")
    def patch(self, request, pk: int):
        application_or_404(request.user, pk)
        data = self.UpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        application_update(actor=request.user, application_id=pk, **data.validated_data)
        return _detail_response(request, pk)


class ApplicationSubmitApi(APIView):
    permission_classes = [IsAuthenticated, IsApplicant]

    @extend_schema(request=None, responses=ApplicationDetailSerializer, summary="Submit (idempotent)")
    def post(self, request, pk: int):
        application_or_404(request.user, pk)
        application_submit(actor=request.user, application_id=pk)
        return _detail_response(request, pk)


class ApplicationDecideApi(APIView):
    permission_classes = [IsAuthenticated, IsBureauOfficer]

    class InputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(choices=DECISIONS)
        amount_approved_yuan = serializers.IntegerField(required=False, allow_null=True, min_value=0)
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        lock_version = serializers.IntegerField(required=False, min_value=0)
        override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                                help_text="approve: a bureau head's reason to go beyond the budget")

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer, summary="Approve, reject or return",
                   description="approve is refused with over_budget (the remaining budget in 万元) unless a bureau head "
                               "gives override_reason, and with over_yearly_cap beyond an organisation's yearly FIM cap.")
    def post(self, request, pk: int):
        application_or_404(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        application_transition(
            actor=request.user, application_id=pk, action=v["decision"], reason=v.get("reason", ""),
            amount_approved_yuan=v.get("amount_approved_yuan"), expected_lock_version=v.get("lock_version"),
            override_reason=v.get("override_reason", ""),
        )
        return _detail_response(request, pk)


class ApplicationActionApi(APIView):
    """One declared action of subsidies.workflow.ACTIONS (urls_api_applications gives each its path)."""

    permission_classes = [IsAuthenticated, IsApplicantOrOfficerOrAdmin]
    action_name = ""

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        amount_approved_yuan = serializers.IntegerField(required=False, allow_null=True, min_value=0,
                                                        help_text="approve: by default the amount requested")
        to_bureau = serializers.CharField(required=False, max_length=40, help_text="reassign: the bureau's short name")
        lock_version = serializers.IntegerField(required=False, min_value=0)
        override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                                help_text="approve: a bureau head's reason to go beyond the budget")

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer,
                   description="Refused with the code of the action's check (not_owner, not_your_bureau, "
                               "invalid_transition, …) unless it is among the application's allowed_actions. "
                               "For reassign, the answer is the summary: the application leaves the caller's queue.")
    def post(self, request, pk: int):
        application_or_404(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        app = application_transition(actor=request.user, application_id=pk, action=self.action_name,
                                     reason=v.get("reason", ""), amount_approved_yuan=v.get("amount_approved_yuan"),
                                     to_bureau=v.get("to_bureau"), expected_lock_version=v.get("lock_version"),
                                     override_reason=v.get("override_reason", ""))
        if application_detail(request.user, pk) is None:
            # Handed over (reassigned): the caller no longer sees it, so only the summary comes back.
            return Response(ApplicationSummarySerializer(app).data)
        return _detail_response(request, pk)


class ApplicationAppealApi(APIView):
    """复核: the applicant appeals a rejection, with reasons and (multipart) files."""

    permission_classes = [IsAuthenticated, IsApplicantOrOfficerOrAdmin]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        files = serializers.ListField(child=serializers.FileField(), required=False, max_length=5)

    @extend_schema(request={"application/json": InputSerializer, "multipart/form-data": InputSerializer},
                   responses={200: ApplicationDetailSerializer, 400: ErrorSerializer, 403: ErrorSerializer,
                              404: ErrorSerializer, 409: ErrorSerializer},
                   summary="Appeal a rejection (复核)",
                   description="Refused with appeal_too_late after the limit (the call's appeal_days, the clause's, "
                               "or PORTAL_APPEAL_WORKING_DAYS working days after the decision), already_appealed "
                               "when this rejection was appealed, not_appealable unless rejected.")
    def post(self, request, pk: int):
        application_or_404(request.user, pk)
        data = self.InputSerializer(data={"reason": request.data.get("reason", ""),
                                          "files": request.FILES.getlist("files")} if request.FILES else request.data)
        data.is_valid(raise_exception=True)
        application_appeal(actor=request.user, application_id=pk, reason=data.validated_data.get("reason", ""),
                           files=data.validated_data.get("files"))
        return _detail_response(request, pk)


class AttachmentListApi(APIView):
    permission_classes = [IsAuthenticated, IsApplicant]
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        material = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                            help_text="The call's material this file is (its template's form filled in)")

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"},
            "material": {"type": "integer", "description": "The call's material this file is; a new file replaces "
                                                           "the material's earlier one"}}}},
        responses={201: AttachmentSerializer},
        summary="Attach a file (PDF, PNG, JPEG, DOCX, XLSX; at most 10 MB), optionally as one of the call's materials",
    )
    def post(self, request, pk: int):
        application_or_404(request.user, pk)
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("required", field="file")
        data = self.InputSerializer(data={k: v for k, v in request.data.items() if k == "material" and v != ""})
        data.is_valid(raise_exception=True)
        attachment = attachment_add(actor=request.user, application_id=pk, upload=upload,
                                    material_id=data.validated_data.get("material"))
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class ApplicationDocumentApi(APIView):
    permission_classes = [IsAuthenticated, IsApplicantOrOfficerOrAdmin]

    @extend_schema(responses={(200, "application/pdf"): bytes},
                   summary="The submitted application as a printable PDF (申报书): reference, facts, evaluation, materials")
    def get(self, request, pk: int):
        app = application_or_404(request.user, pk)
        response = HttpResponse(application_pdf(app), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{app.reference}.pdf"'
        return response


class AttachmentDownloadApi(APIView):
    permission_classes = [IsAuthenticated, IsApplicantOrOfficerOrAdmin]

    @extend_schema(responses={(200, "application/octet-stream"): bytes}, summary="Download an attachment")
    def get(self, request, pk: int, attachment_id: int):
        app = application_or_404(request.user, pk)
        attachment = next((a for a in app.attachments.all() if a.pk == attachment_id), None)
        if attachment is None:
            raise NotFound("not_found")
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)


class ApplicationConsultApi(APIView):
    permission_classes = [IsAuthenticated, IsBureauOfficer]

    class InputSerializer(serializers.Serializer):
        bureau = serializers.CharField(max_length=40)
        question = serializers.CharField(max_length=2000)

    @extend_schema(request=InputSerializer, responses={201: ConsultationSerializer},
                   summary="Consult a co-responsible bureau")
    def post(self, request, pk: int):
        application_or_404(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consultation = application_consult(actor=request.user, application_id=pk, **data.validated_data)
        return Response(ConsultationSerializer(consultation).data, status=status.HTTP_201_CREATED)


class ConsultationAnswerApi(APIView):
    permission_classes = [IsAuthenticated, IsBureauOfficer]

    class InputSerializer(serializers.Serializer):
        answer = serializers.CharField(max_length=4000)

    @extend_schema(request=InputSerializer, responses=ConsultationSerializer, summary="Answer a consultation")
    def post(self, request, pk: int, consultation_id: int):
        application_or_404(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consultation = consultation_answer(actor=request.user, application_id=pk, consultation_id=consultation_id,
                                           answer=data.validated_data["answer"])
        return Response(ConsultationSerializer(consultation).data)
