"""The eligibility checker page (the API lives in urls_api.py)."""
from django.urls import path

from . import views

app_name = "checker"

urlpatterns = [
    path("check/", views.check_page, name="check"),
]
