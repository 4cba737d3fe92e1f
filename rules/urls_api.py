"""Rule administration API under /api/v1/rules/."""
from django.urls import path

from . import apis

urlpatterns = [
    path("rules/versions/", apis.RuleVersionListApi.as_view(), name="api-rule-versions"),
    path("rules/versions/<int:number>/", apis.RuleVersionDetailApi.as_view(), name="api-rule-version"),
    path("rules/versions/<int:number>/clauses/<str:code>/", apis.ClauseRuleEditApi.as_view(), name="api-rule-clause"),
    path("rules/versions/<int:number>/submit/", apis.RuleVersionSubmitApi.as_view(), name="api-rule-version-submit"),
    path("rules/versions/<int:number>/publish/", apis.RuleVersionPublishApi.as_view(), name="api-rule-version-publish"),
    path("rules/versions/<int:number>/reject/", apis.RuleVersionRejectApi.as_view(), name="api-rule-version-reject"),
    path("rules/versions/<int:number>/amend/", apis.RuleVersionAmendApi.as_view(), name="api-rule-version-amend"),
    path("rules/versions/<int:number>/rollback/", apis.RuleVersionRollbackApi.as_view(), name="api-rule-version-rollback"),
    path("rules/versions/<int:number>/impact/", apis.RuleVersionImpactApi.as_view(), name="api-rule-version-impact"),
    path("rules/versions/<int:number>/checks/", apis.RuleVersionChecksApi.as_view(), name="api-rule-version-checks"),
    path("rules/versions/<int:number>/export.xlsx", apis.RuleVersionExportXlsxApi.as_view(), name="api-rule-version-xlsx"),
    path("rules/versions/<int:number>/export.yaml", apis.RuleVersionExportYamlApi.as_view(), name="api-rule-version-yaml"),
    path("rules/versions/<int:number>/import/", apis.RuleVersionImportApi.as_view(), name="api-rule-version-import"),
    path("rules/jobs/<int:pk>/", apis.JobDetailApi.as_view(), name="api-rule-job"),
    path("rules/cases/", apis.CaseListApi.as_view(), name="api-rule-cases"),
    path("rules/cases/<int:pk>/", apis.CaseDetailApi.as_view(), name="api-rule-case"),
]
