from django.urls import path

from yikao.payments import views

app_name = "payments"
urlpatterns = [
    path("<int:registration_id>/", views.pay, name="pay"),
    path("<int:registration_id>/start/", views.start, name="start"),
    path("return/", views.returned, name="return"),
    path("notify/", views.notify, name="notify"),
]
