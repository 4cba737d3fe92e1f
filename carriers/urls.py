"""Pages of the registers, the targets dashboard, assessments, IIC scoring and recognition details."""
from django.urls import path, re_path

from . import views

app_name = "carriers"

KINDS = r"(?P<slug>institutes|complexes|incubators|centres)"

urlpatterns = [
    path("carriers/", views.carriers_home, name="home"),
    path("carriers/dashboard/", views.dashboard_page, name="dashboard"),
    re_path(r"^carriers/dashboard\.(?P<fmt>csv|xlsx)$", views.dashboard_export, name="dashboard-export"),
    path("carriers/iic/scoring/", views.iic_scoring_list, name="iic-scoring"),
    path("carriers/iic/scoring/<int:pk>/", views.iic_scoring_form, name="iic-scoring-form"),
    path("carriers/iic/ranking/", views.iic_ranking_page, name="iic-ranking"),
    path("carriers/iic/changes/", views.centre_changes_page, name="centre-changes"),
    path("carriers/applications/<int:pk>/details/", views.recognition_details, name="recognition-details"),
    path("carriers/applications/<int:pk>/self-assessment/", views.iic_self_assessment, name="iic-self-assessment"),
    path("carriers/applications/<int:pk>/iic-parts/", views.iic_parts_page, name="iic-parts"),
    re_path(rf"^carriers/{KINDS}/$", views.register_list, name="register"),
    re_path(rf"^carriers/{KINDS}/(?P<pk>\d+)/$", views.register_detail, name="entry"),
    re_path(rf"^carriers/{KINDS}/(?P<pk>\d+)/assess/$", views.assess_page, name="assess"),
    re_path(rf"^carriers/{KINDS}/(?P<pk>\d+)/status/$", views.register_status, name="status"),
]
