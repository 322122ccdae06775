"""The database session store, with a database outage reported as one.

Django's db backend turns every DatabaseError while updating a session into UpdateError,
which SessionMiddleware answers with 400 "session interrupted". During a PostgreSQL restart
that told candidates their request was bad; re-raising the outage lets the error handler
answer 503 + Retry-After ("nothing was stored, send it again")."""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import InterfaceError, OperationalError


class SessionStore(DatabaseSessionStore):
    def save(self, must_create=False):
        try:
            super().save(must_create=must_create)
        except UpdateError as exc:
            outage = exc.__context__
            if isinstance(outage, OperationalError | InterfaceError):
                raise outage from None
            raise
