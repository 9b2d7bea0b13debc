"""What a database outage looks like to the hub (SECURITY.md REL-03).

A database that is restarting, unreachable or refusing connections raises OperationalError or
InterfaceError. Requests then get the 503 "briefly unavailable" page (core.views.server_error) and
the log gets one line per request instead of a full trace. Only Django's exceptions are imported
here: the logging configuration loads this module before the apps are ready.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError

DATABASE_OUTAGE = (OperationalError, InterfaceError)


def is_database_outage(exc: BaseException | None) -> bool:
    """Whether the exception, or one it was raised from, says the database cannot be used now."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_OUTAGE):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


class DatabaseOutageLogFilter(logging.Filter):
    """On `django.request`: a request that failed because the database is away is a warning of one
    line (what failed and why), not an error with a trace. During a restart every request fails
    the same way; hundreds of identical traces would bury anything else in the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if is_database_outage(exc):
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            record.msg = f"{record.getMessage()} (database unavailable: {type(exc).__name__}: {reason})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
