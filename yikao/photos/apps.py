from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "yikao.photos"
    label = "photos"
    verbose_name = "照片"
