"""Replace a user's API token with one that two-factor users may use."""

import logging

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civic_portal.accounts.api_authentication import issue_token
from civic_portal.accounts.models import User

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Replace the API token of the user with this e-mail address and print "
        "the new key. The key carries the portal's mark, so it works for users "
        "who must log in with a second factor too (unlike drf_create_token). "
        "The previous token stops working at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="E-mail address of the user.")

    def handle(self, *args: object, **options: str) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {options['email']!r}.")
        key = issue_token(user.pk)
        logger.info("API token of user %s replaced from the command line", user.pk)
        self.stdout.write(key)
