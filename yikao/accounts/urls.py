from django.urls import path

from yikao.accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("security/", views.security, name="security"),
    path("security/password/", views.password_change, name="password_change"),
    path("security/question/", views.security_question_change, name="security_question"),
    path("recover/", views.recovery_start, name="recovery_start"),
    path("recover/verify/", views.recovery_finish, name="recovery_finish"),
]
