"""Pages of the inbox (the API lives in urls_api.py)."""
from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox_page, name="inbox"),
    path("inbox/<int:pk>/open/", views.notification_open, name="open"),
    path("inbox/read-all/", views.mark_all_read, name="read-all"),
    path("inbox/preferences/", views.preferences_page, name="preferences"),
]
