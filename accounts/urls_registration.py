"""Pages of getting in: registration, confirmation, members, invitations, verification, disputes."""
from django.urls import path

from . import views_registration as views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/confirm/<str:token>/", views.verify_email, name="verify-email"),
    path("register/confirm-again/", views.resend_verification, name="resend"),
    path("organisation/", views.organisation_page, name="organisation"),
    path("organisation/members/<int:user_id>/remove/", views.member_remove_page, name="member-remove"),
    path("invitation/<str:token>/", views.accept_invitation, name="invitation"),
    path("organisations/verification/", views.verification_queue, name="verification-queue"),
    path("organisations/<int:pk>/verify/", views.verify_organisation, name="verify"),
    path("organisations/<int:pk>/licence/", views.licence_download, name="licence"),
    path("register/dispute/", views.dispute_new, name="dispute"),
]
