"""Pages of calls for applications."""
from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("calls/", views.call_list_page, name="calls"),
    path("calls/new/", views.call_new, name="call-new"),
    path("calls/<int:pk>/", views.call_page, name="call"),
    path("calls/<int:pk>/materials/<int:material_id>/template/", views.template_download, name="template"),
    path("calls/<int:pk>/materials/<int:material_id>/template/upload/", views.template_upload, name="template-upload"),
]
