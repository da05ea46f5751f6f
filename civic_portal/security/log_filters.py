"""Logging filters that keep secrets in URLs out of the logs."""

import logging
import re

# A URL path segment of 20 or more token characters with at least one
# digit, capital letter or colon: the signed tokens of confirmation,
# password reset, apply, invitation and unsubscribe links, and the UUIDs
# of calendar feeds. Ids and lower-case slugs such as young_majority_share
# stay readable.
TOKEN_SEGMENT = re.compile(
    r"(?<=/)(?=[a-z_\-]*[A-Z0-9:])[A-Za-z0-9_\-:=]{20,}(?=/|\.ics\b|[?#\s\"']|$)"
)
REDACTED = "[redacted]"


def redact_tokens(text: str) -> str:
    """Replace every token-like URL path segment in *text* with [redacted]."""
    return TOKEN_SEGMENT.sub(REDACTED, text)


class RedactTokensFilter(logging.Filter):
    """Logging filter that redacts link tokens in each record's message.

    Django's request log writes lines such as "Not Found: <path>", and the
    paths of mail links contain their tokens.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
