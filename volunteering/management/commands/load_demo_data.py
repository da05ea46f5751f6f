"""Load realistic demo data: groups, posts, sessions, applications and hours."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from campaigns.demo import load_campaign_demo
from facilitation.demo import DEMO_ACCOUNTS as FACILITATION_DEMO_ACCOUNTS
from facilitation.demo import load_facilitation_demo
from groups.demo import load_group_demo, promised_counts
from partner_links.demo import DEMO_ACCOUNTS as PARTNER_LINKS_DEMO_ACCOUNTS
from partner_links.demo import load_partner_links_demo
from probono.demo import DEMO_ACCOUNTS as PROBONO_DEMO_ACCOUNTS
from volunteering.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, SIZES, load_demo_data


def size_help() -> str:
    parts = []
    for name in SIZES:
        counts = promised_counts(name)
        parts.append(
            f"{name}: {counts['groups']:,} groups and {counts['posts']:,} posts"
        )
    return (
        "; ".join(parts) + ". The prefecture set also has about 100,000 "
        "sessions and 500,000 applications."
    )


class Command(BaseCommand):
    help = (
        "Load demo groups, volunteer posts, sessions, applications and "
        "attendance, plus the demo log-in accounts. Running it again "
        "creates nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            default="small",
            help=size_help(),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="Seed of the random generator; the same seed builds the same data.",
        )

    def handle(self, *args: Any, size: str, seed: int, **options: Any) -> None:
        started = time.monotonic()
        counts = load_demo_data(size=size, seed=seed, report=self.stdout.write)
        group_counts = load_group_demo(seed=seed, report=self.stdout.write)
        for name, number in group_counts.items():
            counts.add(name, number)
        load_partner_links_demo(seed=seed, report=self.stdout.write, counts=counts)
        load_campaign_demo(seed=seed, report=self.stdout.write, counts=counts)
        load_facilitation_demo(report=self.stdout.write, counts=counts)
        elapsed = time.monotonic() - started

        summary = ", ".join(f"{name}: {n}" for name, n in counts.created.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {elapsed:.1f} s. Created {summary}."
            )
        )
        self.stdout.write(f"Demo log-in accounts (password for all: {DEMO_PASSWORD}):")
        accounts = (
            *DEMO_ACCOUNTS,
            *PROBONO_DEMO_ACCOUNTS,
            *PARTNER_LINKS_DEMO_ACCOUNTS,
            *FACILITATION_DEMO_ACCOUNTS,
        )
        width = max(len(account.email) for account in accounts)
        for account in accounts:
            self.stdout.write(f"  {account.email:<{width}}  {account.role}")
