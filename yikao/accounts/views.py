from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from yikao.accounts import recovery, services
from yikao.accounts.forms import (
    SECURITY_QUESTIONS,
    LoginForm,
    PasswordChangeForm,
    RecoveryFinishForm,
    RecoveryStartForm,
    SecurityQuestionForm,
    SignUpForm,
)
from yikao.accounts.middleware import HOLD_NOTICE
from yikao.accounts.otp import needs_one_time_code
from yikao.core import ratelimit, throttles

AUTH_BACKEND = "yikao.accounts.backends.UsernameOrIdNumberBackend"


def _landing_url(request, user) -> str:
    next_url = request.POST.get("next") or request.GET.get("next")
    if user.must_change_password:
        return reverse("accounts:password_change")
    if not user.has_seen_profile and hasattr(user, "candidate"):
        return reverse("profiles:index")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return next_url
    return reverse("portal:home")


@sensitive_post_parameters()
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not throttles.SIGNUP.allow(request):
            form.add_error(None, throttles.SIGNUP.message)
        else:
            try:
                candidate = services.candidate_register(
                    data=form.sign_up(), ip_address=ratelimit.client_ip(request)
                )
            except services.AccountError as exc:
                form.add_error(exc.field, exc.message)
            else:
                login(request, candidate.user, backend=AUTH_BACKEND)
                messages.success(request, "注册成功！请先完善个人信息。")
                return redirect(_landing_url(request, candidate.user))
    return render(
        request, "accounts/register.html", {"form": form, "questions": SECURITY_QUESTIONS}
    )


@sensitive_post_parameters()
def login_view(request):
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user, backend=AUTH_BACKEND)
        return redirect(_landing_url(request, user))
    timed_out = request.session.pop("timed_out", False)
    return render(request, "accounts/login.html", {"form": form, "timed_out": timed_out})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("portal:home")


@login_required
def security(request):
    return render(request, "accounts/security.html")


@login_required
@sensitive_post_parameters()
def password_change(request):
    form = PasswordChangeForm(
        request.POST if request.method == "POST" else None,
        one_time_code=needs_one_time_code(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["password1"],
                otp_token=form.cleaned_data.get("otp_token", ""),
                ip_address=ratelimit.client_ip(request),
            )
        except services.AccountError as exc:
            form.add_error(exc.field, exc.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。其他设备上的登录已退出。")
            return redirect("accounts:security")
    # After a staff reset every other page leads here (MustChangePasswordMiddleware).
    notice = HOLD_NOTICE if request.user.must_change_password else ""
    return render(request, "accounts/password_change.html", {"form": form, "notice": notice})


@login_required
@sensitive_post_parameters()
def security_question_change(request):
    if not hasattr(request.user, "candidate"):
        return redirect("accounts:security")
    initial = {"security_question": request.user.candidate.security_question}
    form = SecurityQuestionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.security_question_change(
                user=request.user,
                password=form.cleaned_data["password"],
                question=form.cleaned_data["security_question"],
                answer=form.cleaned_data["security_answer"],
                ip_address=ratelimit.client_ip(request),
            )
        except services.AccountError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, "密码提示问题和答案已修改。")
            return redirect("accounts:security")
    return render(
        request,
        "accounts/security_question.html",
        {"form": form, "questions": SECURITY_QUESTIONS},
    )


def recovery_start(request):
    form = RecoveryStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.recovery_start(request, id_number=form.cleaned_data["id_number"])
        except recovery.RecoveryError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("accounts:recovery_finish")
    return render(request, "accounts/recovery_start.html", {"form": form})


@sensitive_post_parameters()
def recovery_finish(request):
    state = recovery.recovery_state(request)
    if state is None:
        messages.info(request, "请先输入注册时使用的证件号码。")
        return redirect("accounts:recovery_start")
    form = RecoveryFinishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.recovery_finish(
                request,
                answer=form.cleaned_data["security_answer"],
                email_code=form.cleaned_data["email_code"],
                new_password=form.cleaned_data["password1"],
            )
        except recovery.RecoveryError as exc:
            if exc.restart:
                messages.error(request, exc.message)
                return redirect("accounts:recovery_start")
            form.add_error(None, exc.message)
        else:
            messages.success(request, "密码已重置，请用新密码登录。")
            return redirect("accounts:login")
    return render(
        request, "accounts/recovery_finish.html", {"form": form, "question": state["question"]}
    )
