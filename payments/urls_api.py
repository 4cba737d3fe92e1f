"""公示, payments, budgets and statistics under /api/v1/."""
from django.urls import path

from . import apis

urlpatterns = [
    path("publicity/", apis.PublicityListApi.as_view(), name="api-publicity"),
    path("publicity/<int:pk>/", apis.PublicityDetailApi.as_view(), name="api-publicity-detail"),
    path("publicity/<int:pk>/objections/", apis.ObjectionListApi.as_view(), name="api-publicity-objections"),
    path("objections/<int:pk>/answer/", apis.ObjectionAnswerApi.as_view(), name="api-objection-answer"),
    path("payments/", apis.PaymentListApi.as_view(), name="api-payments"),
    path("payments/<int:pk>/cancel/", apis.PaymentCancelApi.as_view(), name="api-payment-cancel"),
    path("payments/instalments/<int:pk>/pay/", apis.InstalmentPayApi.as_view(), name="api-instalment-pay"),
    path("payments/instalments/<int:pk>/confirm/", apis.InstalmentConfirmApi.as_view(), name="api-instalment-confirm"),
    path("budgets/", apis.BudgetListApi.as_view(), name="api-budgets"),
    path("statistics/", apis.StatisticsApi.as_view(), name="api-statistics"),
]
