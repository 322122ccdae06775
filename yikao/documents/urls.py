from django.urls import path

from yikao.documents import receipt_views, sheet_views, views

app_name = "documents"
urlpatterns = [
    path("registration/<int:pk>/all.pdf", views.registration_pdf, name="registration_all"),
    path("registration/<int:pk>/<slug:code>.pdf", views.registration_pdf, name="registration_form"),
    path(
        "<int:registration_id>/receipt.pdf", receipt_views.payment_receipt, name="payment_receipt"
    ),
    # The room papers of a site's session (staff, issue 21).
    path(
        "seating/sessions/<int:session_id>/<slug:kind>.pdf",
        sheet_views.site_sheet,
        name="seating_sheet_site",
    ),
    path(
        "seating/sessions/<int:session_id>/rooms/<int:room_id>/<slug:kind>.pdf",
        sheet_views.room_sheet,
        name="seating_sheet_room",
    ),
]
