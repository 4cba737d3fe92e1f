"""The eligibility checker page (the API lives in urls_api.py)."""
from django.urls import path

from . import views

app_name = "checker"

urlpatterns = [
    path("check/", views.check_page, name="check"),
    path("check/interview/", views.interview_page, name="interview"),
    path("check/result/", views.result_page, name="result"),
]
