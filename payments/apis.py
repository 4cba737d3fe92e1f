"""公示, payments, budgets and statistics in the API.

Public: the publicity lists and entries (only public fields), and lodging an objection (throttled per address).
Officers: publishing a list, answering objections, paying and cancelling; applicants: confirming receipt.
Officers and administrators: budgets and statistics.
"""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import IsApplicant, IsBureauOfficer
from accounts.selectors import role_of
from policy_portal.errors import ErrorSerializer
from policy_portal.exceptions import NotFound
from policy_portal.pagination import Pagination, get_paginated_response
from policy_portal.parsers import StrictJSONParser
from subsidies.models.applications import Status

from . import selectors, services
from .models import Instalment, Objection, PaymentOrder, PublicityEntry, PublicityList
from .statistics import GROUPS, statistics

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
          409: ErrorSerializer}


class IsOfficerOrAdmin(BasePermission):
    """A bureau officer or an administrator."""

    def has_permission(self, request, view):
        return role_of(request.user) in (Role.OFFICER, Role.ADMIN)


class AddressThrottle(SimpleRateThrottle):
    """Per client address, signed in or not (objections need no account and no CAPTCHA)."""

    scope = "objection"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


# ---------------------------------------------------------------- 公示


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation_name = serializers.CharField()
    credit_code = serializers.CharField()
    clause_code = serializers.CharField()
    amount_yuan = serializers.IntegerField()
    state = serializers.ChoiceField(choices=PublicityEntry.State.choices)


class PublicitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    clause_code = serializers.CharField(source="clause.code")
    bureau = serializers.CharField(source="bureau.short_name_zh")
    working_days = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(help_text="The last day objections are taken (Beijing time).")
    status = serializers.ChoiceField(choices=PublicityList.Status.choices)
    entries = EntrySerializer(many=True, source="public_entries")


class PublicityListApi(APIView):
    permission_classes = [AllowAny]
    pagination_class = Pagination  # the schema documents the page ({count, next, previous, results})

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=PublicityList.Status.choices, required=False)

    class InputSerializer(serializers.Serializer):
        clause = serializers.CharField(max_length=16)
        title = serializers.CharField(max_length=200)
        working_days = serializers.IntegerField(required=False, min_value=1, max_value=30)
        application_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False,
                                                max_length=1000, help_text="By default all waiting ones.")

    @extend_schema(tags=["publicity"], parameters=[FilterSerializer], responses={200: PublicitySerializer(many=True),
                                                                                 400: ErrorSerializer},
                   summary="Publicity lists (公示) and their public entries, newest first")
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return get_paginated_response(pagination_class=self.pagination_class, serializer_class=PublicitySerializer,
                                      queryset=selectors.publicity_lists(**filters.validated_data), request=request,
                                      view=self)

    @extend_schema(tags=["publicity"], request=InputSerializer, responses={201: PublicitySerializer, **ERRORS},
                   summary="Publish a clause's approved applications for objections (the deciding bureau)")
    def post(self, request):
        if role_of(request.user) != Role.OFFICER:
            self.permission_denied(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        publicity = services.publicity_create(actor=request.user, clause_code=v["clause"], title=v["title"],
                                              working_days=v.get("working_days"),
                                              application_ids=v.get("application_ids"))
        return Response(PublicitySerializer(selectors.publicity_get(publicity.pk)).data, status=status.HTTP_201_CREATED)


class PublicityDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=["publicity"], responses={200: PublicitySerializer, 404: ErrorSerializer},
                   summary="One publicity list")
    def get(self, request, pk: int):
        publicity = selectors.publicity_get(pk)
        if publicity is None:
            raise NotFound("not_found")
        return Response(PublicitySerializer(publicity).data)


class ObjectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    entry = serializers.IntegerField(source="entry_id")
    name = serializers.CharField()
    contact = serializers.CharField()
    reasons = serializers.CharField()
    state = serializers.ChoiceField(choices=Objection.State.choices)
    answer = serializers.CharField()
    files = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_files(self, objection) -> list[str]:
        return [f.original_name for f in objection.files.all()]


class ObjectionListApi(APIView):
    permission_classes = [AllowAny]
    parser_classes = [StrictJSONParser, MultiPartParser, FormParser]

    def get_throttles(self):
        return [AddressThrottle()] if self.request.method == "POST" else []

    class InputSerializer(serializers.Serializer):
        entry = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The entry objected to.")
        name = serializers.CharField(max_length=60)
        contact = serializers.CharField(max_length=100, help_text="Telephone or email.")
        reasons = serializers.CharField(max_length=5000)
        files = serializers.ListField(child=serializers.FileField(), required=False, max_length=services.MAX_FILES)

    class CreatedSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        state = serializers.CharField()

    @extend_schema(tags=["publicity"], request={"multipart/form-data": InputSerializer, "application/json": InputSerializer},
                   responses={201: CreatedSerializer, 429: ErrorSerializer, **ERRORS},
                   summary="Lodge an objection during the period (anyone; limited per address)")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        objection = services.objection_lodge(
            publicity_id=pk, entry_id=v["entry"], name=v["name"], contact=v["contact"], reasons=v["reasons"],
            files=request.FILES.getlist("files") if request.FILES else (), address=request.META.get("REMOTE_ADDR"))
        return Response({"id": objection.pk, "state": objection.state}, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["publicity"], responses={200: ObjectionSerializer(many=True), **ERRORS},
                   summary="The objections to a list (its bureau's officers, administrators)")
    def get(self, request, pk: int):
        publicity = selectors.publicity_get(pk)
        if publicity is None:
            raise NotFound("not_found")
        if not request.user.is_authenticated or not selectors.may_answer(request.user, publicity):
            self.permission_denied(request)
        return Response(ObjectionSerializer(selectors.objections_of(publicity), many=True).data)


class ObjectionAnswerApi(APIView):
    permission_classes = [IsAuthenticated, IsOfficerOrAdmin]

    class InputSerializer(serializers.Serializer):
        upheld = serializers.BooleanField(help_text="true: the entry leaves the list and the application goes back to review")
        answer = serializers.CharField(max_length=5000)

    @extend_schema(tags=["publicity"], request=InputSerializer, responses={200: ObjectionSerializer, **ERRORS},
                   summary="Answer an objection (the list's bureau)")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.objection_answer(actor=request.user, objection_id=pk, **data.validated_data)
        return Response(ObjectionSerializer(objection).data)


# ---------------------------------------------------------------- 兑现


class InstalmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    amount_yuan = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Instalment.Status.choices)
    paid_on = serializers.DateField(allow_null=True)
    voucher_no = serializers.CharField()
    confirmed_at = serializers.DateTimeField(allow_null=True)


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.CharField(source="application.reference")
    application_id = serializers.IntegerField()
    organisation_name = serializers.CharField(source="application.organisation.name")
    clause_code = serializers.CharField(source="application.clause.code")
    amount_yuan = serializers.IntegerField()
    payer = serializers.CharField(source="payer.short_name_zh")
    status = serializers.ChoiceField(choices=PaymentOrder.Status.choices)
    cancel_reason = serializers.CharField()
    instalments = InstalmentSerializer(many=True, source="instalments.all")


class PaymentListApi(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    @extend_schema(tags=["payments"], responses={200: PaymentSerializer(many=True), 401: ErrorSerializer},
                   summary="Payment orders (兑现) with their instalments: the applicant's own, the payer bureau's")
    def get(self, request):
        return get_paginated_response(pagination_class=self.pagination_class, serializer_class=PaymentSerializer,
                                      queryset=selectors.payment_orders(request.user), request=request, view=self)


def _order_response(request, order_id: int) -> Response:
    order = selectors.payment_orders(request.user).filter(pk=order_id).first()
    if order is None:
        raise NotFound("not_found")
    return Response(PaymentSerializer(order).data)


class InstalmentPayApi(APIView):
    permission_classes = [IsAuthenticated, IsOfficerOrAdmin]

    class InputSerializer(serializers.Serializer):
        paid_on = serializers.DateField()
        voucher_no = serializers.CharField(max_length=40)

    @extend_schema(tags=["payments"], request=InputSerializer, responses={200: PaymentSerializer, **ERRORS},
                   summary="Record an instalment paid (the payer bureau): date and voucher number")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        instalment = services.instalment_pay(actor=request.user, instalment_id=pk, **data.validated_data)
        return _order_response(request, instalment.order_id)


class InstalmentConfirmApi(APIView):
    permission_classes = [IsAuthenticated, IsApplicant]

    @extend_schema(tags=["payments"], request=None, responses={200: PaymentSerializer, **ERRORS},
                   summary="Confirm receipt of a paid instalment (the applicant; idempotent)")
    def post(self, request, pk: int):
        instalment = services.instalment_confirm(actor=request.user, instalment_id=pk)
        return _order_response(request, instalment.order_id)


class PaymentCancelApi(APIView):
    permission_classes = [IsAuthenticated, IsOfficerOrAdmin]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000)

    @extend_schema(tags=["payments"], request=InputSerializer, responses={200: PaymentSerializer, **ERRORS},
                   summary="Cancel what is not yet paid, with a reason (releases the budget)")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.order_cancel(actor=request.user, order_id=pk, reason=data.validated_data["reason"])
        return _order_response(request, order.pk)


# ---------------------------------------------------------------- budgets and statistics


class BudgetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    measure = serializers.SerializerMethodField()
    clause_code = serializers.CharField(source="clause.code", allow_null=True, default=None)
    year = serializers.IntegerField()
    amount_yuan = serializers.IntegerField()
    committed_yuan = serializers.IntegerField()
    paid_yuan = serializers.IntegerField()
    overrun_yuan = serializers.IntegerField()
    remaining_yuan = serializers.IntegerField()

    def get_measure(self, budget) -> str | None:
        return f"{budget.measure.document.code}-{budget.measure.number}" if budget.measure_id else None


class BudgetListApi(APIView):
    permission_classes = [IsAuthenticated, IsOfficerOrAdmin]
    pagination_class = Pagination

    class FilterSerializer(serializers.Serializer):
        year = serializers.IntegerField(required=False, min_value=2020, max_value=2100)

    @extend_schema(tags=["payments"], parameters=[FilterSerializer], responses={200: BudgetSerializer(many=True), **ERRORS},
                   summary="Budgets per measure or clause and year: amount, committed, paid, remaining (yuan)")
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return get_paginated_response(pagination_class=self.pagination_class, serializer_class=BudgetSerializer,
                                      queryset=selectors.budgets(**filters.validated_data), request=request, view=self)


class StatisticsRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The clause code, bureau, district or month (YYYY-MM).")
    count_applications = serializers.IntegerField()
    count_approved = serializers.IntegerField()
    amount_approved_yuan = serializers.IntegerField()
    amount_paid_yuan = serializers.IntegerField()


class StatisticsFilterSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=list(GROUPS), default="clause")
    year = serializers.IntegerField(required=False, min_value=2020, max_value=2100)
    measure = serializers.IntegerField(required=False, min_value=1, max_value=99, help_text="An FIM measure number.")
    district = serializers.CharField(required=False, max_length=40)
    status = serializers.ChoiceField(choices=Status.choices, required=False)


class StatisticsApi(APIView):
    permission_classes = [IsAuthenticated, IsOfficerOrAdmin]

    @extend_schema(tags=["statistics"], parameters=[StatisticsFilterSerializer],
                   responses={200: StatisticsRowSerializer(many=True), **ERRORS},
                   summary="Applications, approvals, amounts approved and paid, by clause, bureau, district or month")
    def get(self, request):
        filters = StatisticsFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = statistics(**filters.validated_data)
        return Response(StatisticsRowSerializer(rows, many=True).data)
