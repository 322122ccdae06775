from django.urls import path

from yikao.inbox import views

app_name = "inbox"
urlpatterns = [path("", views.index, name="index")]
