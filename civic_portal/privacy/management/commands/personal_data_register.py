from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from civic_portal.privacy.document import REGISTER_PATH, build_register_markdown


class Command(BaseCommand):
    help = "Write docs/personal-data-register.md from the personal-data register."

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(settings.BASE_DIR) / REGISTER_PATH
        path.write_text(build_register_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
