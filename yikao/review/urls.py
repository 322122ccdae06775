from django.urls import path

from yikao.review import views

app_name = "review"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.queue, name="queue"),
    path("bulk-approve/", views.bulk_approve, name="bulk_approve"),
    path("export.xlsx", views.export, name="export"),
    path("registrations/<int:pk>/", views.detail, name="detail"),
    path("registrations/<int:pk>/photo.jpg", views.photo, name="photo"),
    path("registrations/<int:pk>/approve/", views.approve, name="approve"),
    path("registrations/<int:pk>/return/", views.return_view, name="return"),
    path("registrations/<int:pk>/correct/", views.correct, name="correct"),
    path("registrations/<int:pk>/reset-password/", views.reset_password, name="reset_password"),
    path("scan/<str:signed>/", views.scan, name="scan"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("audit/", views.audit_log, name="audit"),
    path("units/", views.units, name="units"),
    path("units/<int:pk>/<str:action>/", views.unit_decide, name="unit_decide"),
]
