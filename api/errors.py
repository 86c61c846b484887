"""One error hierarchy, mapped once: to an exit code in cli.py, to an HTTP status in app.py.

- ``UserError``: what the user (or client) did wrong. Exit code 2; HTTP 4xx (its ``status``).
- ``ServiceError``: what the project or the store could not do. Exit code 1; HTTP 5xx.

Messages are for people: they say what was wrong and what is wanted, never a traceback or
a path on the server.
"""

from __future__ import annotations


class EpkgError(Exception):
    """The base of every error epkg reports to a person."""

    status: int = 500
    exit_code: int = 1
    title: str = "error"

    def __init__(self, message: str, *, status: int | None = None, message_da: str | None = None):
        super().__init__(message)
        self.message = message
        self.message_da = message_da  # the same in Danish, for Danish pages (else they say it by status)
        if status is not None:
            self.status = status


class UserError(EpkgError):
    """Bad input: a parameter, a query, a format, a name that does not exist."""

    status = 400
    exit_code = 2
    title = "bad request"


class NotFound(UserError):
    status = 404
    title = "not found"


class NotAcceptable(UserError):
    status = 406
    title = "not acceptable"


class RequestTimeout(UserError):
    """The client took too long to send its request."""

    status = 408
    title = "request timeout"


class PayloadTooLarge(UserError):
    status = 413
    title = "request too large"


class UnsupportedMediaType(UserError):
    status = 415
    title = "unsupported media type"


class TooManyRequests(UserError):
    status = 429
    title = "too many requests"


class AnswerTooLarge(UserError):
    """A query's answer is larger than the service sends: refused whole, never cut."""

    status = 422
    title = "answer too large"


class ServiceError(EpkgError):
    """The project, the store or the engine could not do what was asked."""

    status = 500
    exit_code = 1
    title = "server error"


class QueryTimeout(ServiceError):
    """A query ran past its time limit and was stopped (its worker killed)."""

    status = 503
    title = "query stopped"


class StoreUnavailable(ServiceError):
    """The store does not answer (a remote endpoint down, the worker pool not running)."""

    status = 503
    title = "store unavailable"


class ProjectError(ServiceError):
    """The project's own files are broken: a .rq header, a Turtle syntax error, a missing folder."""

    title = "project error"
