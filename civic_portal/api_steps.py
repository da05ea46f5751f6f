"""A REST framework view mixin for API actions that run one service step.

The services raise Django's ValidationError when they reject a step. The
API then responds as the pages do: 403 when the error's code means that
the user's role may not take the step, otherwise 400 with the service's
message. After a step that succeeds, the API returns the object as read
again through the view's queryset.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from civic_portal.accounts.models import User

logger = logging.getLogger(__name__)


def rejection_response(
    error: ValidationError, forbidden_codes: Collection[str] = ()
) -> Response:
    """Return a service's ValidationError as a 400 response.

    Raises PermissionDenied (403) instead when the error's code is one of
    *forbidden_codes*. Field errors keep their field names.
    """
    if getattr(error, "code", None) in forbidden_codes:
        raise PermissionDenied(" ".join(error.messages)) from error
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        {"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST
    )


# The mixin runs a service step on an object and returns the object or the
# error. It has no docstring on purpose: drf-spectacular would publish an
# inherited class docstring as the description of every operation.
class ServiceStepMixin(generics.GenericAPIView):
    # Service error codes that mean "your role may not do this" (403)
    # rather than "this input or state is wrong" (400).
    forbidden_codes: frozenset[str] = frozenset()

    def signed_in_user(self) -> User:
        """Return the request's user. The view's IsAuthenticated has run first."""
        user = self.request.user
        assert isinstance(user, User)
        return user

    def rejection_response(self, error: ValidationError) -> Response:
        return rejection_response(error, self.forbidden_codes)

    def object_response(
        self,
        pk: int,
        code: int = status.HTTP_200_OK,
        serializer_class: type[BaseSerializer] | None = None,
    ) -> Response:
        """Return the object *pk*, read again through get_queryset.

        *serializer_class* replaces the view's serializer, which otherwise
        gets the usual serializer context.
        """
        instance = self.get_queryset().get(pk=pk)
        if serializer_class is not None:
            serializer = serializer_class(instance)
        else:
            serializer = self.get_serializer(instance)
        return Response(serializer.data, status=code)

    def step_response(
        self,
        step: Callable[[], Any],
        pk: int,
        *,
        rejected_log: str,
        serializer_class: type[BaseSerializer] | None = None,
    ) -> Response:
        """Run *step* and return the object *pk*, or the step's rejection.

        *rejected_log* is the log message of a rejection, with one %s for *pk*.
        """
        try:
            step()
        except ValidationError as error:
            logger.info(rejected_log, pk)
            return self.rejection_response(error)
        return self.object_response(pk, serializer_class=serializer_class)
