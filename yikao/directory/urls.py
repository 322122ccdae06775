from django.urls import path

from yikao.directory import views

app_name = "directory"
urlpatterns = [
    path("institutions/pick/", views.institution_pick, name="institution_pick"),
    path("institutions/new/", views.institution_new, name="institution_new"),
]
