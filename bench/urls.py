from django.urls import path

from bench.ceiling import ceiling
from yikao.urls import handler404, handler500  # noqa: F401
from yikao.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("bench/ceiling/", ceiling, name="bench_ceiling"), *app_urlpatterns]
