"""Rule administration pages under /rules/ (the API lives in urls_api.py)."""
from django.urls import path

from . import views

app_name = "ruleadmin"

urlpatterns = [
    path("rules/", views.version_list, name="versions"),
    path("rules/versions/new/", views.draft_create, name="draft-create"),
    path("rules/versions/<int:number>/", views.version_page, name="version"),
    path("rules/versions/<int:number>/submit/", views.version_submit, name="submit"),
    path("rules/versions/<int:number>/publish/", views.version_publish, name="publish"),
    path("rules/versions/<int:number>/reject/", views.version_reject, name="reject"),
    path("rules/versions/<int:number>/amend/", views.version_amend, name="amend"),
    path("rules/versions/<int:number>/rollback/", views.version_rollback, name="rollback"),
    path("rules/versions/<int:number>/clauses/<str:code>/", views.clause_edit, name="clause-edit"),
    path("rules/versions/<int:number>/impact/", views.impact_page, name="impact"),
    path("rules/versions/<int:number>/checks/", views.checks_page, name="checks"),
    path("rules/versions/<int:number>/export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("rules/versions/<int:number>/export.yaml", views.export_yaml, name="export-yaml"),
    path("rules/versions/<int:number>/import/", views.import_page, name="import"),
    path("rules/versions/<int:number>/reevaluation.json", views.job_progress, name="job-progress"),
    path("rules/cases/", views.case_library, name="cases"),
    path("rules/cases/<int:pk>/", views.case_edit, name="case-edit"),
]
