"""The server error handler: a database outage gets its own page.

When the database restarts or drops the connection in the middle of a
request, the transaction is rolled back and the visitor sees that the
service is briefly unavailable (503, with Retry-After), not that the
portal is broken. Neither page touches the database.
"""

import logging
import sys

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# The psycopg classes are listed too, because Django 5.2 does not wrap the
# error of a server-side cursor's close() (SQLCompiler's cursor_iter). The
# close() follows the last rows of QuerySet.iterator(), which a form calls
# to render the choices of a ModelChoiceField.
DATABASE_ERRORS = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
RETRY_AFTER_SECONDS = 30


def _caused_by_database(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Render 503.html for a lost database connection, 500.html otherwise.

    Django calls this handler inside the except block of the failed
    request, so the exception is still the one being handled.
    """
    error = sys.exc_info()[1]
    if _caused_by_database(error):
        logger.error("Database unavailable during %s %s", request.method, request.path)
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
