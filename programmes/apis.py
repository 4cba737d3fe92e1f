"""Calls for applications in the API: public reading, opening and changing by the lead bureau or an administrator."""
from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from policy_portal.errors import ErrorSerializer
from policy_portal.exceptions import DomainError, NotFound
from policy_portal.pagination import CataloguePagination, get_paginated_response

from .models import Call, Material
from .selectors import call_get, call_list
from .services import call_close_at, call_create, material_template_set

TAG = ["calls"]
ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class MaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name_zh = serializers.CharField(max_length=100)
    name_en = serializers.CharField(max_length=160, required=False, allow_blank=True)
    required = serializers.BooleanField(default=True)
    extensions = serializers.ListField(child=serializers.CharField(max_length=8), required=False,
                                       help_text="Accepted file types, e.g. [\".pdf\", \".docx\"].")
    template_url = serializers.SerializerMethodField(read_only=True, help_text="A form to download, or null.")

    def get_template_url(self, material) -> str | None:
        if not getattr(material, "template", None):
            return None
        return f"/api/v1/calls/{material.call_id}/materials/{material.pk}/template/"


class CallSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title_zh = serializers.CharField()
    title_en = serializers.CharField()
    clause_codes = serializers.SerializerMethodField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField(allow_null=True, help_text="null: a rolling call (常年受理).")
    status = serializers.ChoiceField(choices=Call.Status.choices, source="current_status")
    guide_zh = serializers.CharField()
    guide_en = serializers.CharField()
    review_days = serializers.DictField(child=serializers.IntegerField())
    appeal_days = serializers.IntegerField()
    materials = MaterialSerializer(many=True, source="materials.all")

    def get_clause_codes(self, call) -> list[str]:
        return sorted(c.code for c in call.clauses.all())


class CallListApi(APIView):
    pagination_class = CataloguePagination
    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Call.Status.choices, required=False)
        clause = serializers.CharField(max_length=16, required=False)
        q = serializers.CharField(max_length=100, required=False)

    class InputSerializer(serializers.Serializer):
        title_zh = serializers.CharField(max_length=200)
        title_en = serializers.CharField(max_length=250, required=False, allow_blank=True)
        clause_codes = serializers.ListField(child=serializers.CharField(max_length=16), min_length=1, max_length=60)
        opens_at = serializers.DateTimeField()
        closes_at = serializers.DateTimeField(required=False, allow_null=True)
        guide_zh = serializers.CharField(required=False, allow_blank=True, max_length=20000)
        guide_en = serializers.CharField(required=False, allow_blank=True, max_length=20000)
        review_days = serializers.DictField(child=serializers.IntegerField(), required=False)
        appeal_days = serializers.IntegerField(required=False, default=15)
        materials = MaterialSerializer(many=True, required=False)

    @extend_schema(tags=TAG, parameters=[FilterSerializer], responses={200: CallSerializer(many=True), 400: ErrorSerializer},
                   summary="Calls for applications (申报批次), newest first")
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return get_paginated_response(pagination_class=self.pagination_class, serializer_class=CallSerializer,
                                      queryset=call_list(**filters.validated_data), request=request, view=self)

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: CallSerializer, **ERRORS},
                   summary="Open a call (an administrator or the lead bureau of every clause)")
    def post(self, request):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        call = call_create(actor=request.user, title_zh=v["title_zh"], title_en=v.get("title_en", ""),
                           clause_codes=v["clause_codes"], opens_at=v["opens_at"], closes_at=v.get("closes_at"),
                           guide_zh=v.get("guide_zh", ""), guide_en=v.get("guide_en", ""),
                           review_days=v.get("review_days"), appeal_days=v["appeal_days"],
                           materials=[dict(m) for m in v.get("materials", [])])
        return Response(CallSerializer(call_get(call.pk)).data, status=status.HTTP_201_CREATED)


def _call(pk: int) -> Call:
    call = call_get(pk)
    if call is None:
        raise NotFound("not_found")
    return call


class CallDetailApi(APIView):
    permission_classes = [AllowAny]

    class UpdateSerializer(serializers.Serializer):
        closes_at = serializers.DateTimeField(allow_null=True)

    @extend_schema(tags=TAG, responses={200: CallSerializer, 404: ErrorSerializer}, summary="One call")
    def get(self, request, pk: int):
        return Response(CallSerializer(_call(pk)).data)

    @extend_schema(tags=TAG, request=UpdateSerializer, responses={200: CallSerializer, **ERRORS},
                   summary="Move a call's closing time (extend, close early, or null for rolling)")
    def patch(self, request, pk: int):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        _call(pk)
        data = self.UpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_close_at(actor=request.user, call_id=pk, closes_at=data.validated_data["closes_at"])
        return Response(CallSerializer(_call(pk)).data)


class TemplateApi(APIView):
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    @extend_schema(tags=TAG, responses={(200, "application/octet-stream"): bytes, 404: ErrorSerializer},
                   summary="Download a material's template")
    def get(self, request, pk: int, material_id: int):
        material = Material.objects.filter(pk=material_id, call_id=pk).exclude(template="").first()
        if material is None:
            raise NotFound("not_found")
        return FileResponse(material.template.open("rb"), as_attachment=True, filename=material.template_name)

    @extend_schema(tags=TAG, request={"multipart/form-data": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}}}, responses={200: MaterialSerializer, **ERRORS},
        summary="Upload a material's template (the lead bureau or an administrator)")
    def put(self, request, pk: int, material_id: int):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        if not Material.objects.filter(pk=material_id, call_id=pk).exists():
            raise NotFound("not_found")
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("required", field="file")
        return Response(MaterialSerializer(material_template_set(actor=request.user, material_id=material_id,
                                                                 upload=upload)).data)
