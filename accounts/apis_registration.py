"""Getting in through the API: register an organisation, confirm the email, manage members, verify organisations."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from policy_portal.errors import ErrorSerializer
from policy_portal.exceptions import NotAllowed, NotFound
from policy_portal.pagination import CataloguePagination, get_paginated_response

from .models import Organisation, Role
from .selectors import organisation_members, organisations_to_verify, profile_of
from .services import email_verify, member_invite, member_remove, organisation_register, organisation_verify

TAG = ["organisations"]
ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    district = serializers.CharField()
    org_type = serializers.CharField()
    status = serializers.ChoiceField(choices=Organisation.Status.choices)
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()
    created_at = serializers.DateTimeField()
    verified_at = serializers.DateTimeField(allow_null=True)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField()
    is_org_admin = serializers.BooleanField(source="profile.is_org_admin")


class OrganisationRegisterApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [MultiPartParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    class InputSerializer(serializers.Serializer):
        credit_code = serializers.CharField(max_length=18)
        name = serializers.CharField(max_length=120)
        district = serializers.CharField(max_length=40)
        org_type = serializers.CharField(max_length=40)
        contact_name = serializers.CharField(max_length=60)
        contact_phone = serializers.CharField(max_length=30)
        email = serializers.EmailField()
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)
        licence = serializers.FileField(help_text="The business licence (营业执照): PDF, PNG or JPEG, at most 10 MB.")

    @extend_schema(tags=TAG, request={"multipart/form-data": InputSerializer},
                   responses={201: OrganisationSerializer, **ERRORS},
                   summary="Register an organisation and its first user (its administrator)",
                   description="The user is inactive until the link sent by email is opened; the organisation can "
                               "submit applications once its district has verified it.")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        org = organisation_register(**data.validated_data)
        return Response(OrganisationSerializer(org).data, status=status.HTTP_201_CREATED)


class EmailVerifyApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    class InputSerializer(serializers.Serializer):
        token = serializers.CharField(max_length=500)

    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        active = serializers.BooleanField()

    @extend_schema(tags=TAG, request=InputSerializer, responses={200: OutputSerializer, **ERRORS},
                   summary="Confirm an email address with the token of the link")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = email_verify(token=data.validated_data["token"])
        return Response({"username": user.username, "active": user.is_active})


def _my_organisation(user):
    profile = profile_of(user)
    if profile is None or profile.role != Role.APPLICANT:
        raise NotFound("not_found")
    return profile


class MyOrganisationApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(OrganisationSerializer):
        members = serializers.SerializerMethodField()

        def get_members(self, org) -> list[dict]:
            return MemberSerializer(organisation_members(org), many=True).data

    @extend_schema(tags=TAG, responses={200: OutputSerializer, **ERRORS}, summary="The caller's organisation and members")
    def get(self, request):
        return Response(self.OutputSerializer(_my_organisation(request.user).organisation).data)


class MemberInviteApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()

    @extend_schema(tags=TAG, request=InputSerializer, responses={201: None, **ERRORS},
                   summary="Invite a member (the organisation's administrator only)")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member_invite(actor=request.user, email=data.validated_data["email"])
        return Response(status=status.HTTP_201_CREATED)


class MemberRemoveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAG, responses={204: None, **ERRORS}, summary="Remove a member; their account is closed")
    def delete(self, request, user_id: int):
        member_remove(actor=request.user, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerificationListApi(APIView):
    pagination_class = CataloguePagination
    permission_classes = [IsAuthenticated]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Organisation.Status.choices, required=False,
                                         default=Organisation.Status.UNVERIFIED)

    @extend_schema(tags=TAG, parameters=[FilterSerializer], responses={200: OrganisationSerializer(many=True), **ERRORS},
                   summary="Organisations the caller verifies (their district's; all for an administrator)")
    def get(self, request):
        rows = organisations_to_verify(request.user)
        if rows is None:
            raise NotAllowed("not_your_district")
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return get_paginated_response(pagination_class=self.pagination_class, serializer_class=OrganisationSerializer,
                                      queryset=rows.filter(status=filters.validated_data["status"]), request=request,
                                      view=self)


class OrganisationVerifyApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(choices=["verify", "reject"])
        note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    @extend_schema(tags=TAG, request=InputSerializer, responses={200: OrganisationSerializer, **ERRORS},
                   summary="Verify or refuse an organisation (district officer or administrator)")
    def post(self, request, pk: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        org = organisation_verify(actor=request.user, organisation_id=pk,
                                  approve=data.validated_data["decision"] == "verify",
                                  note=data.validated_data.get("note", ""))
        return Response(OrganisationSerializer(org).data)
