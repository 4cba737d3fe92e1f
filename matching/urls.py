from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("matches/", views.my_matches, name="mine"),
    path("matches/<int:pk>/apply/", views.apply, name="apply"),
    path("matches/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("matches/profile/", views.profile_page, name="profile"),
    path("what-if/", views.what_if_page, name="what-if"),
    path("matching/lists/", views.lists_page, name="lists"),
    path("matching/lists/<int:pk>/", views.import_page, name="import"),
    path("matching/clauses/", views.clauses_page, name="clauses"),
    path("matching/clauses/<str:code>/", views.clause_page, name="clause"),
]
