from django.core.exceptions import ValidationError


class ApplicationError(ValidationError):
    """An application or a decision on it that the rules do not allow.

    The message is translated and meant for the person who made the request.
    """
