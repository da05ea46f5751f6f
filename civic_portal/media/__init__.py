"""Serving uploaded files (MEDIA_ROOT) through permission checks.

civic_portal.media.rules maps each upload folder to the rule that decides
who may fetch a file, and civic_portal.media.views serves the files under
MEDIA_URL with those rules, in production and under DEBUG alike.
"""
