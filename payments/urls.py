"""Pages: /publicity/ (public), /payments/, /statistics/."""
from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("publicity/", views.publicity_list_page, name="publicity"),
    path("publicity/new/", views.publicity_create_view, name="publicity-new"),
    path("publicity/<int:pk>/", views.publicity_page, name="publicity-detail"),
    path("publicity/<int:pk>/objections/", views.objection_lodge_view, name="objection-lodge"),
    path("publicity/<int:pk>/objections/<int:objection_id>/answer/", views.objection_answer_view, name="objection-answer"),
    path("publicity/<int:pk>/objections/<int:objection_id>/files/<int:file_id>/", views.objection_file,
         name="objection-file"),
    path("payments/", views.payments_page, name="payments"),
    path("payments/<int:pk>/act/", views.payment_act, name="payment-act"),
    path("statistics/", views.statistics_page, name="statistics"),
]
