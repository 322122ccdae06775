from django.shortcuts import render

from yikao.core.ratelimit import client_ip, hit
from yikao.eligibility_web.facts import candidate_facts

from .forms import MAJOR_LIST_ID, SelfCheckForm
from .results import arrange
from .selfcheck import default_exam_year, major_names, rate_limit, run_check

TEMPLATE = "eligibility_web/selfcheck.html"


def _start(request) -> tuple[SelfCheckForm, bool]:
    """An empty form, or for a logged-in candidate one filled from their personal information."""
    year = default_exam_year()
    candidate = getattr(request.user, "candidate", None) if request.user.is_authenticated else None
    if candidate is None:
        return SelfCheckForm(initial={"main": {"exam_year": year, "graduating": "no"}}), False
    facts = candidate_facts(candidate, exam_year=year)
    return SelfCheckForm(initial=SelfCheckForm.initial_from(facts, exam_year=year)), True


def selfcheck(request):
    context = {"majors": major_names(), "major_list_id": MAJOR_LIST_ID, "limit": rate_limit()}
    if request.method != "POST":
        form, prefilled = _start(request)
        return render(request, TEMPLATE, {**context, "form": form, "prefilled": prefilled})
    form = SelfCheckForm(request.POST)
    limit, window = rate_limit()
    if not hit("selfcheck.page", client_ip(request), limit=limit, window=window):
        return render(request, TEMPLATE, {**context, "form": form, "limited": True}, status=429)
    if not form.is_valid():
        return render(request, TEMPLATE, {**context, "form": form, "invalid": True})
    facts = form.facts()
    decisions = run_check(facts)
    edition = decisions[0].edition if decisions else ""
    results = arrange(decisions, facts)
    return render(
        request, TEMPLATE, {**context, "form": form, "results": results, "edition": edition}
    )
