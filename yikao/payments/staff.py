"""The payment back office's home and what its pages share (the exam in view).

The pages themselves: staff_fees (收费标准 and channel), staff_counter (考点现场缴费),
staff_money (对账, 退款, 缴费统计). Each view: staff_required sets request.scope; every
query goes through payments.scope, so an object outside the scope is a 404.
"""

import re

from django.http import Http404
from django.shortcuts import render

from yikao.exams.models import Exam
from yikao.payments.scope import MONEY_ROLES
from yikao.staff.access import staff_required

EXAM_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits: isdigit() also takes "²"


def exams():
    return Exam.objects.order_by("-year", "-id")


def exam_in_view(request) -> Exam:
    """The exam named by ?exam= (or the posted exam), else the latest one."""
    exam_id = request.POST.get("exam") or request.GET.get("exam") or ""
    if EXAM_ID.fullmatch(exam_id):
        exam = Exam.objects.filter(pk=int(exam_id)).first()
        if exam is not None:
            return exam
    exam = exams().first()
    if exam is None:
        raise Http404
    return exam


@staff_required
def home(request):
    return render(request, "payments/staff_home.html", {
        "money_role": request.scope.role in MONEY_ROLES,
    })  # fmt: skip
