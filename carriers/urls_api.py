"""Carriers API routes, under /api/v1/."""
from django.urls import path, re_path

from . import apis

urlpatterns = [
    path("carriers/institutes/", apis.InstituteListApi.as_view(), name="api-carrier-institutes"),
    path("carriers/institutes/<int:pk>/", apis.InstituteDetailApi.as_view(), name="api-carrier-institute"),
    path("carriers/institutes/<int:pk>/assessments/", apis.InstituteAssessmentApi.as_view(),
         name="api-carrier-institute-assessments"),
    path("carriers/complexes/", apis.ComplexListApi.as_view(), name="api-carrier-complexes"),
    path("carriers/complexes/<int:pk>/", apis.ComplexDetailApi.as_view(), name="api-carrier-complex"),
    path("carriers/complexes/<int:pk>/assessments/", apis.ComplexAssessmentApi.as_view(), name="api-carrier-complex-assessments"),
    path("carriers/incubators/", apis.IncubatorListApi.as_view(), name="api-carrier-incubators"),
    path("carriers/incubators/<int:pk>/", apis.IncubatorDetailApi.as_view(), name="api-carrier-incubator"),
    path("carriers/incubators/<int:pk>/assessments/", apis.IncubatorAssessmentApi.as_view(),
         name="api-carrier-incubator-assessments"),
    path("carriers/centres/", apis.CentreListApi.as_view(), name="api-carrier-centres"),
    path("carriers/centres/<int:pk>/", apis.CentreDetailApi.as_view(), name="api-carrier-centre"),
    path("carriers/centres/<int:pk>/annual-reports/", apis.CentreAnnualReportApi.as_view(), name="api-carrier-centre-reports"),
    path("carriers/centres/<int:pk>/evaluations/", apis.CentreEvaluationApi.as_view(), name="api-carrier-centre-evaluations"),
    path("carriers/centres/<int:pk>/fraud-findings/", apis.CentreFraudApi.as_view(), name="api-carrier-centre-fraud"),
    re_path(r"^carriers/(?P<slug>institutes|complexes|incubators|centres)/(?P<pk>\d+)/status/$",
            apis.RegisterStatusApi.as_view(), name="api-carrier-status"),
    path("carriers/dashboard/", apis.DashboardApi.as_view(), name="api-carrier-dashboard"),
    path("carriers/centre-changes/", apis.CentreChangeListApi.as_view(), name="api-centre-changes"),
    path("carriers/centre-changes/<int:pk>/report/", apis.CentreChangeReportApi.as_view(), name="api-centre-change-report"),
    path("carriers/centre-changes/<int:pk>/confirm/", apis.CentreChangeConfirmApi.as_view(),
         name="api-centre-change-confirm"),
    path("carriers/iic/indicators/", apis.IndicatorTableApi.as_view(), name="api-iic-indicators"),
    path("carriers/iic/scoring/", apis.ScoringApi.as_view(), name="api-iic-scoring"),
    path("carriers/iic/ranking/", apis.RankingApi.as_view(), name="api-iic-ranking"),
    path("carriers/iic/applications/<int:pk>/score-sheet/", apis.ScoreSheetApi.as_view(), name="api-iic-score-sheet"),
    path("carriers/applications/<int:pk>/recognition-details/", apis.RecognitionDetailsApi.as_view(),
         name="api-carrier-recognition-details"),
    path("carriers/applications/<int:pk>/iic-plan/", apis.IICPlanApi.as_view(), name="api-carrier-iic-plan"),
    path("carriers/applications/<int:pk>/self-assessment/", apis.SelfAssessmentApi.as_view(),
         name="api-carrier-iic-self-assessment"),
]
