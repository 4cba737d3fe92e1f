"""Pages of the applications workflow."""
from django.urls import path

from . import views_applications as views

app_name = "applications"

urlpatterns = [
    path("applications/", views.application_list, name="list"),
    path("applications/new/", views.application_new, name="new"),
    path("applications/<int:pk>/", views.application_page, name="detail"),
    path("applications/<int:pk>/document.pdf", views.application_document, name="document"),
    path("applications/<int:pk>/act/", views.application_act, name="act"),
    path("applications/<int:pk>/attachments/", views.attachment_upload, name="attach"),
    path("applications/<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
