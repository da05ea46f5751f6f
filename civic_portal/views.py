"""Helpers that views of every app share to report a service's outcome."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest

from civic_portal.accounts.models import User

logger = logging.getLogger(__name__)


def signed_in_user(request: HttpRequest) -> User:
    """Return the request's user; views call it behind login_required."""
    assert isinstance(request.user, User)
    return request.user


def log_rejection(request: HttpRequest, error: ValidationError) -> None:
    """Log a request that a service rejected; the path contains the ids."""
    logger.info(
        "%s %s by user %s rejected: %s",
        request.method,
        request.path,
        request.user.pk,
        error.messages,
    )


def attach_errors(request: HttpRequest, form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on *form*, by field where it can."""
    log_rejection(request, error)
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def message_errors(request: HttpRequest, error: ValidationError) -> None:
    """Show a service's ValidationError as error messages on the next page."""
    log_rejection(request, error)
    for text in error.messages:
        messages.error(request, text)
