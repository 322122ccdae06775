from django.urls import path

from yikao.registrations import views

app_name = "registrations"
urlpatterns = [
    path("", views.index, name="index"),
    path("exams/", views.choose_exam, name="choose"),
    path("exams/<int:category_id>/notice/", views.notice, name="notice"),
    path("wizard/<int:exam_id>/<int:number>/", views.step, name="step"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/abandon/", views.abandon, name="abandon"),
    path("<int:pk>/redo/", views.redo, name="redo"),
]
