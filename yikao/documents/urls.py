from django.urls import path

from yikao.documents import views

app_name = "documents"
urlpatterns = [
    path("registration/<int:pk>/all.pdf", views.registration_pdf, name="registration_all"),
    path("registration/<int:pk>/<slug:code>.pdf", views.registration_pdf, name="registration_form"),
]
