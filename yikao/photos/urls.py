from django.urls import path

from yikao.photos import views

app_name = "photos"
urlpatterns = [
    path("check/", views.check, name="check"),
    path("check/download/", views.download, name="download"),
    path("upload/", views.upload, name="upload"),
    path("upload/check/", views.upload_check, name="upload_check"),
    path("upload/use/", views.use, name="use"),
    path("current.jpg", views.current, name="current"),
    path("<int:photo_id>.jpg", views.image, name="image"),
]
