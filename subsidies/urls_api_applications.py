from django.urls import path

from . import apis_applications as apis
from .workflow import ACTIONS

urlpatterns = [
    path("applications/", apis.ApplicationListApi.as_view(), name="api-applications"),
    path("applications/<int:pk>/", apis.ApplicationDetailApi.as_view(), name="api-application"),
    path("applications/<int:pk>/submit/", apis.ApplicationSubmitApi.as_view(), name="api-application-submit"),
    path("applications/<int:pk>/appeal/", apis.ApplicationAppealApi.as_view(), name="api-application-appeal"),
    path("applications/<int:pk>/decide/", apis.ApplicationDecideApi.as_view(), name="api-application-decide"),
    path("applications/<int:pk>/attachments/", apis.AttachmentListApi.as_view(), name="api-application-attachments"),
    path("applications/<int:pk>/attachments/<int:attachment_id>/", apis.AttachmentDownloadApi.as_view(),
         name="api-application-attachment"),
]
urlpatterns += [
    path("applications/<int:pk>/consult/", apis.ApplicationConsultApi.as_view(), name="api-application-consult"),
    path("applications/<int:pk>/consultations/<int:consultation_id>/answer/", apis.ConsultationAnswerApi.as_view(),
         name="api-application-consultation-answer"),
]
# Every declared action has its path (submit and appeal keep their own views above; approve, reject and return are also
# taken through decide/).
for action in (name for name in ACTIONS if name not in ("submit", "appeal")):
    urlpatterns.append(
        path(f"applications/<int:pk>/{action.replace('_', '-')}/",
             apis.ApplicationActionApi.as_view(action_name=action), name=f"api-application-{action}")
    )
