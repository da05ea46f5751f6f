from typing import Any

from django.core.management.base import BaseCommand

from civic_portal.jobs.publishing import relay_pending


class Command(BaseCommand):
    help = "Send the tasks that were stored while the broker was unreachable."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = relay_pending()
        self.stdout.write(f"Sent {sent} pending tasks.")
