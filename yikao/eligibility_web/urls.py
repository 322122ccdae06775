from django.urls import path

from yikao.eligibility_web import views

app_name = "eligibility_web"

urlpatterns = [
    path("", views.selfcheck, name="selfcheck"),
]
