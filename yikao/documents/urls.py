from django.urls import path

from yikao.documents import receipt_views, views

app_name = "documents"
urlpatterns = [
    path("registration/<int:pk>/all.pdf", views.registration_pdf, name="registration_all"),
    path("registration/<int:pk>/<slug:code>.pdf", views.registration_pdf, name="registration_form"),
    path(
        "<int:registration_id>/receipt.pdf", receipt_views.payment_receipt, name="payment_receipt"
    ),
]
