from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from civic_portal.security.permissions.document import (
    MATRIX_PATH,
    build_matrix_markdown,
)


class Command(BaseCommand):
    help = "Write docs/roles-and-permissions.md from the permission rules."

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(settings.BASE_DIR) / MATRIX_PATH
        path.write_text(build_matrix_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
