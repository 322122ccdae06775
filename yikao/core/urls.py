from django.urls import path

from yikao.core import views

app_name = "core"
urlpatterns = [
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy, name="privacy"),
]
