"""Inbox API: the caller's notifications (newest first, ?unread=true), marking them read, email preferences."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from policy_portal.errors import ErrorSerializer
from policy_portal.pagination import Pagination, get_paginated_response

from .kinds import kind_of
from .selectors import inbox, preferences, unread_count
from .services import notifications_mark_read, preference_set

TAG = ["notifications"]


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.SerializerMethodField(help_text="In the request's language.")
    body = serializers.SerializerMethodField()
    params = serializers.JSONField()
    url = serializers.CharField(help_text="Where it points on the portal (a path).")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_title(self, n) -> str:
        return kind_of(n.kind).render("title", n.params)

    def get_body(self, n) -> str:
        return kind_of(n.kind).render("body", n.params)


class NotificationListApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    class FilterSerializer(serializers.Serializer):
        unread = serializers.BooleanField(required=False, default=False)

    @extend_schema(tags=TAG, parameters=[FilterSerializer], responses={200: NotificationSerializer(many=True),
                   401: ErrorSerializer}, summary="The caller's notifications, newest first")
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        response = get_paginated_response(pagination_class=self.pagination_class, serializer_class=NotificationSerializer,
                                          queryset=inbox(request.user, unread=filters.validated_data["unread"]),
                                          request=request, view=self)
        response["X-Unread-Count"] = str(unread_count(request.user))
        return response


class NotificationReadApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=1000,
                                    help_text="Omit to mark every notification read.")

    class OutputSerializer(serializers.Serializer):
        marked = serializers.IntegerField()
        unread = serializers.IntegerField()

    @extend_schema(tags=TAG, request=InputSerializer, responses={200: OutputSerializer, 400: ErrorSerializer,
                   401: ErrorSerializer}, summary="Mark notifications read")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notifications_mark_read(actor=request.user, ids=data.validated_data.get("ids"))
        return Response({"marked": marked, "unread": unread_count(request.user)})


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(read_only=True)
    email = serializers.BooleanField()


class PreferenceListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAG, responses={200: PreferenceSerializer(many=True), 401: ErrorSerializer},
                   summary="Which kinds of notification the caller gets by email")
    def get(self, request):
        return Response(PreferenceSerializer(preferences(request.user), many=True).data)

    @extend_schema(tags=TAG, request=PreferenceSerializer, responses={200: PreferenceSerializer(many=True),
                   400: ErrorSerializer, 401: ErrorSerializer}, summary="Turn email on or off for one kind")
    def put(self, request):
        data = PreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference_set(actor=request.user, kind=data.validated_data["kind"], email=data.validated_data["email"])
        return Response(PreferenceSerializer(preferences(request.user), many=True).data)
