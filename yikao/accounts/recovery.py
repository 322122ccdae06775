"""找回密码: ID number → security question (+ e-mail code) → new password.

Every response is the same whether or not an account has the ID number: an unknown
number is shown a question picked deterministically from the usual list, and its
answers simply never match. Attempts are limited per session, per account and per
address.
"""

import secrets
import time

from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import send_mail
from django.db import transaction

from yikao.accounts import services
from yikao.accounts.forms import SECURITY_QUESTIONS
from yikao.accounts.lockout import lockout_clear
from yikao.accounts.selectors import candidate_by_id_number, id_number_hash
from yikao.core import ratelimit

SESSION_KEY = "password_recovery"
MAX_TRIES = 5
STATE_TTL = 15 * 60
GENERIC_FAILURE = "密码提示答案或邮箱验证码不正确。"
LOCKED = "尝试次数过多，请30分钟后再试；如同时忘记了密码和密码提示答案，请携带注册时使用的身份证件到报考考点申请重置密码。"


class RecoveryError(Exception):
    def __init__(self, message: str, *, restart: bool = False):
        super().__init__(message)
        self.message = message
        self.restart = restart


def recovery_start(request, *, id_number: str) -> str:
    """Remember the recovery in the session and return the question to show."""
    if not ratelimit.hit("recovery-ip", ratelimit.client_ip(request), limit=20, window=3600):
        raise RecoveryError(LOCKED)
    id_hash = id_number_hash(id_number)
    candidate = candidate_by_id_number(id_number)
    if candidate is not None:
        question = candidate.security_question
    else:
        question = SECURITY_QUESTIONS[int(id_hash[:8], 16) % len(SECURITY_QUESTIONS)]
    # Every number costs one hash of an e-mail code, sent or not: an account with an
    # e-mail address must not answer slower than an unknown number.
    code = f"{secrets.randbelow(10**6):06d}"
    code_hash = make_password(code)
    needs_code = candidate is not None and bool(candidate.email)
    if needs_code:
        email = candidate.email
        transaction.on_commit(lambda: _send_code(email, code))
    request.session[SESSION_KEY] = {
        "id_hash": id_hash,
        "question": question,
        "code_hash": code_hash,
        "needs_code": needs_code,
        "started": int(time.time()),
        "tries": 0,
    }
    return question


def _send_code(email: str, code: str) -> None:
    send_mail(
        "医考考生服务系统 找回密码验证码",
        f"您正在找回医考考生服务系统的登录密码，验证码为 {code}，15分钟内有效。"
        "如非本人操作，请忽略本邮件。",
        None,
        [email],
    )


def recovery_state(request) -> dict | None:
    state = request.session.get(SESSION_KEY)
    if not state or time.time() - state["started"] > STATE_TTL:
        request.session.pop(SESSION_KEY, None)
        return None
    return state


def recovery_finish(request, *, answer: str, email_code: str, new_password: str) -> None:
    state = recovery_state(request)
    if state is None:
        raise RecoveryError("找回密码已超时，请重新输入证件号码。", restart=True)
    if not ratelimit.hit("recovery-account", state["id_hash"], limit=MAX_TRIES, window=1800):
        request.session.pop(SESSION_KEY, None)
        raise RecoveryError(LOCKED, restart=True)
    candidate = _candidate_for(state["id_hash"])
    answer_ok = services.security_answer_matches(candidate=candidate, answer=answer)
    # The code is checked whether or not it was sent, so that every account costs alike.
    code_matches = check_password(email_code or "", state["code_hash"])
    code_ok = code_matches or not state.get("needs_code", bool(state["code_hash"]))
    if not (answer_ok and code_ok and candidate is not None):
        state["tries"] += 1
        request.session[SESSION_KEY] = state
        if state["tries"] >= MAX_TRIES:
            request.session.pop(SESSION_KEY, None)
            raise RecoveryError(LOCKED, restart=True)
        raise RecoveryError(GENERIC_FAILURE)
    services.password_recover(
        candidate=candidate, new_password=new_password, ip_address=ratelimit.client_ip(request)
    )
    lockout_clear(user=candidate.user)
    request.session.pop(SESSION_KEY, None)


def _candidate_for(id_hash: str):
    from yikao.accounts.models import Candidate

    return Candidate.objects.select_related("user").filter(id_number_hash=id_hash).first()
