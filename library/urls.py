"""Pages of the policy library (the API lives in urls_api.py)."""
from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.home, name="home"),
    path("policies/", views.document_list_page, name="document-list"),
    path("policies/<str:code>/", views.document_detail, name="document-detail"),
    path("clauses/<str:code>/", views.clause_detail, name="clause-detail"),
]
