"""Authentication API: token for a username and password; who am I."""
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from policy_portal.exceptions import NotAllowed

from .selectors import profile_of, role_of


class TokenApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer}, summary="Obtain an API token")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        if getattr(request, "axes_locked_out", False):  # django-axes: too many failures from this address
            raise NotAllowed("locked", "Too many failed attempts: try again in a while.", "username")
        if user is None or not user.is_active:
            raise NotAllowed("invalid_credentials", "Unknown username or wrong password.", "password")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        role = serializers.CharField(allow_null=True)
        organisation = serializers.CharField(allow_null=True)
        bureau = serializers.CharField(allow_null=True)

    @extend_schema(responses={200: OutputSerializer}, summary="The signed-in user and role")
    def get(self, request):
        profile = profile_of(request.user)
        return Response(
            {
                "username": request.user.get_username(),
                "role": role_of(request.user),
                "organisation": profile.organisation.name if profile and profile.organisation else None,
                "bureau": profile.bureau.short_name_zh if profile and profile.bureau else None,
            }
        )
