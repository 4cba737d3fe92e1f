from django.urls import path

from . import apis_registration as registration
from .apis import MeApi, TokenApi

urlpatterns = [
    path("auth/token/", TokenApi.as_view(), name="api-token"),
    path("auth/verify-email/", registration.EmailVerifyApi.as_view(), name="api-verify-email"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("organisations/register/", registration.OrganisationRegisterApi.as_view(), name="api-organisation-register"),
    path("organisations/mine/", registration.MyOrganisationApi.as_view(), name="api-my-organisation"),
    path("organisations/mine/invitations/", registration.MemberInviteApi.as_view(), name="api-member-invite"),
    path("organisations/mine/members/<int:user_id>/", registration.MemberRemoveApi.as_view(), name="api-member-remove"),
    path("organisations/", registration.VerificationListApi.as_view(), name="api-organisations"),
    path("organisations/<int:pk>/verify/", registration.OrganisationVerifyApi.as_view(), name="api-organisation-verify"),
]
