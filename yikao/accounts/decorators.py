"""View guards for candidate pages."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def candidate_required(view):
    """A logged-in candidate (request.candidate); staff and anonymous users get the login
    page or a 404, never a candidate's page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        candidate = getattr(request.user, "candidate", None)
        if candidate is None:
            raise Http404("no candidate")
        request.candidate = candidate
        return view(request, *args, **kwargs)

    return wrapper
