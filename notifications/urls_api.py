"""Inbox API under /api/v1/notifications/."""
from django.urls import path

from . import apis

urlpatterns = [
    path("notifications/", apis.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read/", apis.NotificationReadApi.as_view(), name="api-notifications-read"),
    path("notifications/preferences/", apis.PreferenceListApi.as_view(), name="api-notification-preferences"),
]
