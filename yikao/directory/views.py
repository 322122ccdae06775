"""The work-unit picker: region drill-down + search, and the 未找到单位 form.

Both work without JavaScript: links and GET forms drill down and search; choosing
returns to `next` with `institution=<code>` appended.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from yikao.directory import selectors, services
from yikao.directory.forms import InstitutionNewForm, PickSearchForm
from yikao.directory.models import Institution, Region


def _safe_next(request) -> str:
    value = request.POST.get("next") or request.GET.get("next") or ""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def with_institution(next_url: str, code: str) -> str:
    """next_url with institution=<code> set in its query string."""
    parts = urlsplit(next_url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "institution"
    ]
    query.append(("institution", code))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _carry(request, **extra) -> str:
    """Query string carrying next/field (and the extras) to the next drill-down link."""
    params = {"next": _safe_next(request), "field": request.GET.get("field", "")[:60]}
    params.update(extra)
    return urlencode({k: v for k, v in params.items() if v})


@login_required
def institution_pick(request):
    next_url = _safe_next(request)
    chain = selectors.region_chain(request.GET.get("region", "")[:12])
    chain = [r for r in chain if r.level <= Region.Level.COUNTY]
    region = chain[-1] if chain else None
    form = PickSearchForm(request.GET or None)
    query = request.GET.get("q", "")
    hits, error = [], ""
    try:
        if query.strip():
            hits = selectors.search_institutions(query, region=region.code if region else None)
        elif region is not None and region.level == Region.Level.COUNTY:
            hits = selectors.county_institutions(region.code)
    except selectors.QueryError as exc:
        error = str(exc)
    children = (
        selectors.regions_under(region.code if region else "")
        if region is None or region.level < Region.Level.COUNTY
        else []
    )
    selected = None
    chosen = request.GET.get("institution", "")[:24]
    if not next_url and chosen.isascii() and chosen.isalnum():
        selected = Institution.objects.filter(code=chosen).first()
    context = {
        "form": form,
        "query": query,
        "error": error,
        "hits": [(hit, with_institution(next_url or request.path, hit.code)) for hit in hits],
        "chain": [(r, _carry(request, region=r.code, q=query)) for r in chain],
        "top_link": _carry(request, q=query),
        "children": [(r, _carry(request, region=r.code, q=query)) for r in children],
        "region": region,
        "next_url": next_url,
        "field": request.GET.get("field", "")[:60],
        "new_link": _carry(request, region=region.code if region else ""),
        "selected": selected,
    }
    return render(request, "directory/institution_pick.html", context)


def _initial_from_region(code: str) -> dict:
    chain = {r.level: r.code for r in selectors.region_chain(code[:12])}
    return {
        "province": chain.get(Region.Level.PROVINCE, ""),
        "city": chain.get(Region.Level.CITY, ""),
        "county": chain.get(Region.Level.COUNTY, ""),
    }


@login_required
def institution_new(request):
    next_url = _safe_next(request)
    refresh = request.method == "POST" and "refresh" in request.POST
    if request.method == "POST" and not refresh:
        form = InstitutionNewForm(request.POST)
        if form.is_valid():
            try:
                institution = services.institution_create_unverified(
                    name=form.cleaned_data["name"],
                    region=form.cleaned_data["county"],
                    affiliation=form.cleaned_data["affiliation"],
                    kind=form.cleaned_data["kind"],
                    actor=request.user,
                )
            except services.DirectoryError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if next_url:
                    return redirect(with_institution(next_url, institution.code))
                return render(
                    request, "directory/institution_created.html", {"institution": institution}
                )
    elif refresh:
        # Only the region selects changed: show the new lists, no errors yet.
        form = InstitutionNewForm(initial=request.POST.dict())
    else:
        initial = _initial_from_region(request.GET.get("region", ""))
        form = InstitutionNewForm(initial=initial)
    return render(
        request,
        "directory/institution_new.html",
        {"form": form, "next_url": next_url, "field": request.GET.get("field", "")[:60]},
    )
