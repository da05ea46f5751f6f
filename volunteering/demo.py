"""Building the demo data set: groups, posts, sessions, applications, hours.

Rows go straight through the models with bulk_create, in batches, so that
the prefecture-scale set loads in minutes. Every row has a natural key
(e-mail address, group name, post title within its group), and a second
run skips what exists, so loading twice creates nothing new. Sessions,
applications and attendance are created only together with their post.
`places_taken` on every session is the sum of the party sizes of its
pending and confirmed applications, as the application services keep it.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from civic_portal.accounts.ages import needs_guardian_consent
from civic_portal.accounts.models import PRIVACY_NOTICE_VERSION, User
from civic_portal.fiscal import JAPAN
from groups.models import (
    ActivityField,
    Certification,
    CivicGroup,
    GroupMembership,
    GroupStatusChange,
    Municipality,
    SupportCentre,
    SupportCentreStaff,
)
from groups.validators import corporate_number_check_digit
from volunteering.demo_content import (
    DISTRICTS,
    GIVEN_NAMES,
    LEGAL_FORM_PREFIXES,
    LEGAL_FORM_WEIGHTS,
    NPO_CORPORATIONS_2022_03,
    SURNAMES,
    THEMES,
    GroupTheme,
    PostTemplate,
)
from volunteering.models import Application, Attendance, VolunteerPost, VolunteerSession
from volunteering.services.next_session import refresh_next_session_starts

logger = logging.getLogger(__name__)

# Demo groups of a certified legal form get a certification of this kind.
CERTIFICATION_KINDS: dict[str, str] = {
    CivicGroup.LegalForm.CERTIFIED_NPO: Certification.Kind.CERTIFIED,
    CivicGroup.LegalForm.SPECIAL_CERTIFIED_NPO: Certification.Kind.SPECIAL,
}

Status = Application.Status
Report = Callable[[str], None]

BATCH_SIZE = 2000
# Posts whose sessions and applications are built and written together.
POST_CHUNK = 1000
DEMO_DOMAIN = "demo.example.jp"
ONLINE_PLACE = "オンライン（ビデオ会議）"
# Days before the load of the two past sessions that the first open post
# of each demo staff account's group gets, earlier one first.
SHOWCASE_PAST_DAYS = (14, 7)
# Printed by load_demo_data and listed in README.md. Only the demo accounts use it.
DEMO_PASSWORD = "yamaguchi-demo-2026"  # noqa: S105
STUDENT_TARGET_HOURS = 90
# The second demo student is one three-hour activity short of the 100
# hours after which a school may recommend certification.
STUDENT_NEAR_CERTIFICATION_HOURS = 97
# The demo staff accounts manage the first groups, one account each.
STAFF_ACCOUNT_KEYS = ("staff", "staff2")
# Bulk residents' matching mail choice, with cumulative probability bounds.
MATCHING_MAIL_CHOICES = (
    (User.MatchingMailFrequency.NEVER, 0.4),
    (User.MatchingMailFrequency.WEEKLY, 0.75),
    (User.MatchingMailFrequency.DAILY, 1.0),
)

# Each outcome comes with a cumulative probability bound. A roll from
# random() picks the first outcome whose bound is above it.
POST_PHASES = (("past", 0.86), ("current", 0.97), ("draft", 0.985), ("scheduled", 1.0))
PAST_OUTCOMES = (
    (Status.CONFIRMED, 0.76),
    (Status.CANCELLED_BY_VOLUNTEER, 0.88),
    (Status.DECLINED, 0.95),
    (Status.CANCELLED_BY_STAFF, 1.0),
)
AUTO_ACCEPT_OUTCOMES = (
    (Status.CONFIRMED, 0.88),
    (Status.CANCELLED_BY_VOLUNTEER, 1.0),
)
REVIEWED_OUTCOMES = (
    (Status.PENDING, 0.35),
    (Status.CONFIRMED, 0.8),
    (Status.CANCELLED_BY_VOLUNTEER, 0.9),
    (Status.DECLINED, 1.0),
)


@dataclass(frozen=True)
class DemoSize:
    groups: int
    posts_per_group: int
    residents: int


SIZES = {
    "small": DemoSize(groups=40, posts_per_group=10, residents=300),
    # About 3,000 groups, 30,000 posts, 100,000 sessions and 500,000
    # applications.
    "prefecture": DemoSize(groups=3000, posts_per_group=10, residents=20000),
}


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    role: str


DEMO_ACCOUNTS = (
    DemoAccount("resident", f"resident@{DEMO_DOMAIN}", "resident (volunteer)"),
    DemoAccount(
        "student", f"student@{DEMO_DOMAIN}", "high-school student, about 90 hours"
    ),
    DemoAccount(
        "student2",
        f"student2@{DEMO_DOMAIN}",
        "high-school student, 97 hours, one activity short of 100",
    ),
    DemoAccount("staff", f"staff@{DEMO_DOMAIN}", "staff of the first demo group"),
    DemoAccount("staff2", f"staff2@{DEMO_DOMAIN}", "staff of the second demo group"),
    DemoAccount(
        "centre", f"centre@{DEMO_DOMAIN}", "staff of the prefectural support centre"
    ),
    DemoAccount(
        "centre_city",
        f"centre-yamaguchi@{DEMO_DOMAIN}",
        "staff of the Yamaguchi City support centre",
    ),
    DemoAccount("admin", f"admin@{DEMO_DOMAIN}", "superuser (Django admin)"),
)
# Support centre of each centre staff account: scope and municipality code.
CENTRE_OF_ACCOUNT = {
    "centre": ("prefecture", "35203"),
    "centre_city": ("municipal", "35203"),
}


@dataclass
class LoadCounts:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, number: int) -> None:
        self.created[name] = self.created.get(name, 0) + number


@contextmanager
def explicit_timestamps(model: type[models.Model], *names: str) -> Iterator[None]:
    """Let bulk_create keep the given auto_now/auto_now_add values.

    Only for this single-threaded loader: it changes the model's fields
    for the whole process while the block runs.
    """
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]  # type: ignore[union-attr]
    for f in fields:
        f.auto_now = f.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add  # type: ignore[union-attr]


def allocate(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split *total* in proportion to *weights* (largest remainder method)."""
    weight_sum = sum(weights.values())
    shares = {key: total * weight / weight_sum for key, weight in weights.items()}
    counts = {key: int(share) for key, share in shares.items()}
    left = total - sum(counts.values())
    by_remainder = sorted(shares, key=lambda key: counts[key] - shares[key])
    for key in by_remainder[:left]:
        counts[key] += 1
    return counts


def pick(roll: float, outcomes: tuple[tuple[str, float], ...]) -> str:
    """Return the first outcome whose cumulative bound is above *roll*."""
    for outcome, bound in outcomes:
        if roll < bound:
            return outcome
    return outcomes[-1][0]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}"


class DemoLoader:
    """Load one demo data set. Call `run()` once per instance."""

    def __init__(self, *, size: DemoSize, seed: int, report: Report) -> None:
        self.size = size
        self.seed = seed
        # Draws that happen for every planned row, in a fixed order.
        self.rng = random.Random(seed)  # noqa: S311 (demo data, no secrets)
        self.report = report
        self.counts = LoadCounts()
        self.now = timezone.now()
        self.today = timezone.localtime(self.now, JAPAN).date()
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        self.fields = {f.number: f for f in ActivityField.objects.all()}

    # --- entry point -----------------------------------------------------

    @transaction.atomic
    def run(self) -> LoadCounts:
        if len(self.municipalities) < len(NPO_CORPORATIONS_2022_03):
            raise RuntimeError("Reference data missing: run `manage.py migrate` first.")
        accounts = self.load_accounts()
        self.load_centre_staff(accounts)
        residents = self.load_residents()
        groups = self.load_groups()
        self.load_group_staff(groups, accounts)
        self.load_posts(groups, residents, accounts)
        self.load_student_hours(accounts["student"], STUDENT_TARGET_HOURS)
        self.load_student_hours(accounts["student2"], STUDENT_NEAR_CERTIFICATION_HOURS)
        self.load_resident_history(accounts["resident"])
        self.load_minor_pending_application(
            accounts["student2"], [accounts["staff2"], accounts["staff"]]
        )
        # bulk_create skips the session services that keep each post's next
        # session start, so the loader stores them once at the end.
        changed = refresh_next_session_starts()
        self.report(f"Next session starts stored: {changed} posts changed")
        return self.counts

    # --- people ----------------------------------------------------------

    def load_accounts(self) -> dict[str, User]:
        """Create the documented demo accounts and their interests, or fetch them."""
        specs = {
            "resident": {
                "full_name": "山口 はるか",
                "name_kana": "やまぐち はるか",
                "birth_date": dt.date(1988, 6, 12),
                "occupation": User.Occupation.EMPLOYED,
                "municipality": self.municipalities["35203"],
            },
            "student": {
                "full_name": "周南 陽向",
                "name_kana": "しゅうなん ひなた",
                "birth_date": self.today.replace(year=self.today.year - 17)
                - dt.timedelta(days=40),
                "occupation": User.Occupation.HIGH_SCHOOL_STUDENT,
                "municipality": self.municipalities["35215"],
            },
            "student2": {
                "full_name": "下関 蒼",
                "name_kana": "しものせき あおい",
                "birth_date": self.today.replace(year=self.today.year - 18)
                + dt.timedelta(days=100),
                "occupation": User.Occupation.HIGH_SCHOOL_STUDENT,
                "municipality": self.municipalities["35201"],
            },
            "staff": {
                "full_name": "萩 まこと",
                "name_kana": "はぎ まこと",
                "birth_date": dt.date(1975, 2, 3),
                "occupation": User.Occupation.OTHER,
                "municipality": self.municipalities["35203"],
            },
            "staff2": {
                "full_name": "宇部 さとし",
                "name_kana": "うべ さとし",
                "birth_date": dt.date(1982, 9, 21),
                "occupation": User.Occupation.EMPLOYED,
                "municipality": self.municipalities["35201"],
            },
            "centre": {
                "full_name": "防府 かおり",
                "name_kana": "ほうふ かおり",
                "occupation": User.Occupation.EMPLOYED,
                "municipality": self.municipalities["35203"],
            },
            "centre_city": {
                "full_name": "湯田 ゆうき",
                "name_kana": "ゆだ ゆうき",
                "occupation": User.Occupation.EMPLOYED,
                "municipality": self.municipalities["35203"],
            },
            "admin": {"full_name": "ポータル管理者", "is_staff": True},
        }
        # Interests of the accounts that receive matching mails: activity
        # field numbers, municipality codes and mail frequency.
        interests = {
            "resident": ((1, 7, 13), ("35203",), User.MatchingMailFrequency.WEEKLY),
            "student": ((7, 13), ("35215", "35203"), User.MatchingMailFrequency.DAILY),
            "student2": ((1, 13), ("35201",), User.MatchingMailFrequency.WEEKLY),
        }
        # Hash once for all accounts: Django's default PBKDF2 hasher took
        # about 0.4 s per hash on a development machine.
        password = make_password(DEMO_PASSWORD)
        accounts = {}
        created = 0
        for account in DEMO_ACCOUNTS:
            key = account.key
            user = User.objects.filter(email=account.email).first()
            if user is None:
                user = User(
                    email=account.email,
                    email_confirmed=True,
                    privacy_consent_at=self.now,
                    privacy_notice_version=PRIVACY_NOTICE_VERSION,
                    is_superuser=key == "admin",
                    **specs[key],
                )
                user.guardian_consent_at = self._guardian_consent_at(user)
                user.password = password
                user.save()
                if key in interests:
                    field_numbers, codes, frequency = interests[key]
                    self._set_interests(user, field_numbers, codes, frequency)
                created += 1
            accounts[key] = user
        self.counts.add("demo accounts", created)
        existing = len(DEMO_ACCOUNTS) - created
        self.report(f"Demo accounts: {created} created, {existing} existing")
        return accounts

    def _guardian_consent_at(self, user: User) -> dt.datetime | None:
        """Return when a guardian agreed to *user*'s sign-up: now for a minor."""
        if user.birth_date and needs_guardian_consent(user.birth_date, self.today):
            return self.now
        return None

    def _set_interests(
        self,
        user: User,
        field_numbers: tuple[int, ...],
        codes: tuple[str, ...],
        frequency: str,
    ) -> None:
        user.interest_fields.set([self.fields[number] for number in field_numbers])
        user.interest_municipalities.set([self.municipalities[c] for c in codes])
        User.objects.filter(pk=user.pk).update(matching_mail_frequency=frequency)

    def load_centre_staff(self, accounts: dict[str, User]) -> None:
        """Make the centre staff accounts staff of their support centres."""
        created = 0
        for key, (scope, code) in CENTRE_OF_ACCOUNT.items():
            centre = SupportCentre.objects.get(scope=scope, municipality__code=code)
            _membership, is_new = SupportCentreStaff.objects.get_or_create(
                centre=centre, user=accounts[key]
            )
            created += int(is_new)
        self.counts.add("centre staff memberships", created)
        self.report(f"Centre staff memberships: {created} created")

    def _bulk_users(self, prefix: str, number: int) -> list[User]:
        emails = [f"{prefix}{index:05d}@{DEMO_DOMAIN}" for index in range(number)]
        existing = set(
            User.objects.filter(email__in=emails).values_list("email", flat=True)
        )
        municipality_codes = list(NPO_CORPORATIONS_2022_03)
        weights = [max(count, 1) for count in NPO_CORPORATIONS_2022_03.values()]
        new_users = []
        for email in emails:
            if email in existing:
                continue
            # One generator per user, so reruns build the same person.
            rng = random.Random(f"{self.seed}:{email}")  # noqa: S311
            name = person_name(rng)
            code = rng.choices(municipality_codes, weights)[0]
            is_student = prefix == "resident" and rng.random() < 0.1
            if is_student:
                birth_year = self.today.year - rng.randint(16, 18)
            else:
                birth_year = rng.randint(1950, 2004)
            birth_date = dt.date(birth_year, rng.randint(1, 12), 15)
            user = User(
                email=email,
                email_confirmed=True,
                full_name=name,
                municipality=self.municipalities[code],
                birth_date=birth_date,
                occupation=(
                    User.Occupation.HIGH_SCHOOL_STUDENT
                    if is_student
                    else rng.choice(
                        [
                            User.Occupation.EMPLOYED,
                            User.Occupation.UNIVERSITY_STUDENT,
                            User.Occupation.OTHER,
                        ]
                    )
                ),
                # Bulk demo users have no usable password, so only the
                # demo accounts can log in.
                password=make_password(None),
                privacy_consent_at=self.now,
                privacy_notice_version=PRIVACY_NOTICE_VERSION,
            )
            user.guardian_consent_at = self._guardian_consent_at(user)
            new_users.append(user)
        User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
        self.counts.add(f"{prefix} users", len(new_users))
        self.report(
            f"Users ({prefix}): {len(new_users)} created, {len(existing)} existing"
        )
        return list(User.objects.filter(email__in=emails).order_by("email"))

    def load_residents(self) -> list[User]:
        residents = self._bulk_users("resident", self.size.residents)
        self._load_resident_interests(residents)
        return residents

    def _load_resident_interests(self, residents: list[User]) -> None:
        """Give every resident without interests some, and a mail frequency.

        Each resident picks one to three of the fields the demo posts use
        and their own municipality, sometimes with one more. One in
        five leaves the fields empty and one in five the municipalities, so
        matching also runs on one list alone.
        """
        with_fields = User.interest_fields.through.objects.filter(
            user__in=residents
        ).values_list("user_id", flat=True)
        with_places = User.interest_municipalities.through.objects.filter(
            user__in=residents
        ).values_list("user_id", flat=True)
        done = set(with_fields) | set(with_places)
        post_fields = sorted(
            {post.field_number for theme in THEMES for post in theme.posts}
        )
        codes = list(NPO_CORPORATIONS_2022_03)
        field_links = []
        place_links = []
        changed = []
        for user in residents:
            if user.pk in done:
                continue
            rng = random.Random(f"{self.seed}:{user.email}:interests")  # noqa: S311
            roll = rng.random()
            if roll >= 0.2:
                for number in rng.sample(post_fields, rng.randint(1, 3)):
                    field_links.append((user.pk, self.fields[number].pk))
            if roll < 0.2 or roll >= 0.4:
                places = {user.municipality_id}
                if rng.random() < 0.3:
                    places.add(self.municipalities[rng.choice(codes)].pk)
                for place_id in sorted(p for p in places if p is not None):
                    place_links.append((user.pk, place_id))
            user.matching_mail_frequency = pick(rng.random(), MATCHING_MAIL_CHOICES)
            changed.append(user)
        User.interest_fields.through.objects.bulk_create(
            [
                User.interest_fields.through(user_id=user_id, activityfield_id=pk)
                for user_id, pk in field_links
            ],
            batch_size=BATCH_SIZE,
        )
        User.interest_municipalities.through.objects.bulk_create(
            [
                User.interest_municipalities.through(
                    user_id=user_id, municipality_id=pk
                )
                for user_id, pk in place_links
            ],
            batch_size=BATCH_SIZE,
        )
        User.objects.bulk_update(
            changed, ["matching_mail_frequency"], batch_size=BATCH_SIZE
        )
        self.counts.add("interests", len(field_links) + len(place_links))
        self.report(
            f"Resident interests: {len(changed)} residents given "
            f"{len(field_links)} fields and {len(place_links)} municipalities"
        )

    # --- groups ----------------------------------------------------------

    def _group_specs(self) -> list[tuple[str, str, str, GroupTheme]]:
        """Return (name, legal form, municipality code, theme) per group."""
        weights = {
            code: max(count, 1) for code, count in NPO_CORPORATIONS_2022_03.items()
        }
        per_municipality = allocate(self.size.groups, weights)
        forms = list(LEGAL_FORM_WEIGHTS)
        form_weights = list(LEGAL_FORM_WEIGHTS.values())
        names: set[str] = set()
        specs = []
        for code, number in per_municipality.items():
            for index in range(number):
                theme = THEMES[index % len(THEMES)]
                district = self.rng.choice(DISTRICTS[code])
                pattern = self.rng.choice(theme.name_patterns)
                legal_form = self.rng.choices(forms, form_weights)[0]
                name = LEGAL_FORM_PREFIXES.get(legal_form, "") + pattern.format(
                    district=district
                )
                suffix = 2
                base = name
                while name in names:
                    name = f"{base} 第{suffix}支部"
                    suffix += 1
                names.add(name)
                specs.append((name, legal_form, code, theme))
        return specs

    def load_groups(self) -> list[tuple[CivicGroup, GroupTheme]]:
        specs = self._group_specs()
        existing = set(
            CivicGroup.objects.filter(
                name__in=[name for name, *_rest in specs]
            ).values_list("name", flat=True)
        )
        new_groups = []
        new_themes = []
        for index, (name, legal_form, code, theme) in enumerate(specs):
            approved_at = self.now - dt.timedelta(days=self.rng.randint(400, 3000))
            roll = self.rng.random()
            if name in existing:
                continue
            if index < len(STAFF_ACCOUNT_KEYS):
                # The demo staff accounts' groups are approved and active.
                roll = 0.5
            group = CivicGroup(
                name=name,
                legal_form=legal_form,
                municipality=self.municipalities[code],
                description=theme.description,
                review_status=CivicGroup.ReviewStatus.APPROVED,
                approved_at=approved_at,
                registered_on=timezone.localtime(approved_at, JAPAN).date(),
                created_at=approved_at - dt.timedelta(days=14),
                updated_at=approved_at,
            )
            if legal_form in CivicGroup.CORPORATE_FORMS:
                group.corporate_number = self._corporate_number()
            if roll < 0.01:
                group.status = CivicGroup.Status.DISSOLVED
                group.dissolved_on = self.today - dt.timedelta(days=200)
            elif roll < 0.04:
                group.status = CivicGroup.Status.DORMANT
            elif roll > 0.98:
                group.review_status = CivicGroup.ReviewStatus.PENDING
                group.approved_at = None
                group.registered_on = None
            # bulk_create skips CivicGroup.save(), which fills search_text.
            group.search_text = group.build_search_text()
            new_groups.append(group)
            new_themes.append(theme)
        with explicit_timestamps(CivicGroup, "created_at", "updated_at"):
            CivicGroup.objects.bulk_create(new_groups, batch_size=BATCH_SIZE)
        through = CivicGroup.activity_fields.through
        links = [
            through(civicgroup_id=group.pk, activityfield_id=self.fields[number].pk)
            for group, theme in zip(new_groups, new_themes, strict=True)
            for number in theme.field_numbers
        ]
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)
        self._load_group_history(new_groups)
        self.counts.add("groups", len(new_groups))
        self.report(
            f"Groups: {len(new_groups)} created, {len(existing)} existing, "
            f"in {len({code for _n, _f, code, _t in specs})} municipalities"
        )
        by_name = {
            group.name: group
            for group in CivicGroup.objects.filter(name__in=[s[0] for s in specs])
        }
        self._refresh_group_search_text(list(by_name.values()))
        return [(by_name[name], theme) for name, _form, _code, theme in specs]

    def _corporate_number(self) -> str:
        """Return a made-up corporate number with a valid check digit."""
        base = f"{self.rng.randrange(10**12):012d}"
        return f"{corporate_number_check_digit(base)}{base}"

    def _load_group_history(self, groups: list[CivicGroup]) -> None:
        """Give new registered groups their dated status and certifications.

        bulk_create skips the lifecycle service, so the rows it would write
        (a first active status, later changes, certifications) are added here.
        """
        changes = []
        certifications = []
        for group in groups:
            if group.registered_on is None:
                continue
            changes.append(
                GroupStatusChange(
                    group=group, status="active", effective_on=group.registered_on
                )
            )
            if group.dissolved_on is not None:
                changes.append(
                    GroupStatusChange(
                        group=group, status="dissolved", effective_on=group.dissolved_on
                    )
                )
            elif group.status == CivicGroup.Status.DORMANT:
                dormant_on = max(
                    group.registered_on, self.today - dt.timedelta(days=90)
                )
                changes.append(
                    GroupStatusChange(
                        group=group, status="dormant", effective_on=dormant_on
                    )
                )
            kind = CERTIFICATION_KINDS.get(str(group.legal_form))
            if kind is not None:
                certified_on = self.today - dt.timedelta(
                    days=self.rng.randint(30, 1000)
                )
                certifications.append(
                    Certification(
                        group=group,
                        kind=kind,
                        certified_on=certified_on,
                        expires_on=Certification.expiry_for(kind, certified_on),
                    )
                )
        GroupStatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
        Certification.objects.bulk_create(certifications, batch_size=BATCH_SIZE)

    def _refresh_group_search_text(self, groups: list[CivicGroup]) -> None:
        """Store CivicGroup.build_search_text() on groups an older loader left stale."""
        stale = []
        for group in groups:
            text = group.build_search_text()
            if group.search_text != text:
                group.search_text = text
                stale.append(group)
        CivicGroup.objects.bulk_update(stale, ["search_text"], batch_size=BATCH_SIZE)
        if stale:
            self.report(f"Groups: search text refreshed on {len(stale)}")

    def load_group_staff(
        self, groups: list[tuple[CivicGroup, GroupTheme]], accounts: dict[str, User]
    ) -> None:
        """Add one staff member per group, and each demo staff account to one."""
        staff = self._bulk_users("staff", len(groups))
        pairs = [
            (group, user) for (group, _theme), user in zip(groups, staff, strict=True)
        ]
        for (group, _theme), key in zip(groups, STAFF_ACCOUNT_KEYS, strict=False):
            pairs.append((group, accounts[key]))
        existing = set(
            GroupMembership.objects.filter(
                group__in=[group for group, _theme in groups]
            ).values_list("group_id", "user_id")
        )
        memberships = [
            GroupMembership(group=group, user=user, role=GroupMembership.Role.ADMIN)
            for group, user in pairs
            if (group.pk, user.pk) not in existing
        ]
        GroupMembership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
        self.group_staff = {group.pk: user for group, user in pairs}
        self.counts.add("group memberships", len(memberships))
        self.report(f"Group staff memberships: {len(memberships)} created")

    # --- posts, sessions, applications -----------------------------------

    def _post_plans(
        self, groups: list[tuple[CivicGroup, GroupTheme]]
    ) -> list[PostPlan]:
        plans = []
        # Titles of the templates already open in some group, so that each
        # template, and with it each search filter, has an open post.
        self.open_templates: set[str] = set()
        for group_index, (group, theme) in enumerate(groups):
            occurrences: dict[str, int] = {}
            templates = list(theme.posts)
            dated = [t for t in templates if not t.year_round]
            for index in range(self.size.posts_per_group):
                template = templates[index % len(templates)]
                if template.year_round and occurrences.get(template.title):
                    template = dated[index % len(dated)]
                number = occurrences.get(template.title, 0) + 1
                occurrences[template.title] = number
                title = template.title
                if number > 1:
                    title = f"{template.title}（第{number}回）"
                plans.append(
                    PostPlan(
                        group=group,
                        template=template,
                        title=title,
                        phase=self._phase(group, group_index, index, template),
                        seed=self.rng.randrange(2**32),
                        manual_review=group_index < len(STAFF_ACCOUNT_KEYS),
                    )
                )
            if group_index < len(STAFF_ACCOUNT_KEYS):
                self._plan_staff_showcase(plans[-self.size.posts_per_group :])
        return plans

    def _plan_staff_showcase(self, plans: list[PostPlan]) -> None:
        """Mark the open dated posts of a demo staff account's group.

        The first gets two past sessions, one with attendance to record and
        one with hours the volunteers reported, awaiting approval. The
        second has every upcoming session fully booked, with a waitlist.
        """
        dated = [
            plan
            for plan in plans
            if plan.phase == "current" and not plan.template.year_round
        ]
        for plan, showcase in zip(dated, ("attendance", "fully_booked"), strict=False):
            plan.showcase = showcase

    def _phase(
        self, group: CivicGroup, group_index: int, index: int, template: PostTemplate
    ) -> str:
        """Pick past, current, draft or scheduled: most posts are in the past."""
        roll = self.rng.random()
        if not group.is_public or group.status == CivicGroup.Status.DORMANT:
            return "past"
        if group_index < len(STAFF_ACCOUNT_KEYS) and index < 3:
            # The demo staff accounts see open posts with applicants.
            return "current"
        if template.title not in self.open_templates:
            self.open_templates.add(template.title)
            return "current"
        if template.year_round:
            return "current" if roll < 0.6 else "past"
        return pick(roll, POST_PHASES)

    def load_posts(
        self,
        groups: list[tuple[CivicGroup, GroupTheme]],
        residents: list[User],
        accounts: dict[str, User],
    ) -> None:
        plans = self._post_plans(groups)
        existing = set(
            VolunteerPost.objects.filter(
                group__in=[group for group, _theme in groups]
            ).values_list("group_id", "title")
        )
        new_plans = [p for p in plans if (p.group.pk, p.title) not in existing]
        self.report(
            f"Posts: {len(new_plans)} to create, {len(plans) - len(new_plans)} existing"
        )
        self.adults = [u for u in residents if not u.is_high_school_student]
        self.everyone = residents
        for start in range(0, len(new_plans), POST_CHUNK):
            chunk = new_plans[start : start + POST_CHUNK]
            self._load_post_chunk(chunk)
            self.report(
                f"  posts {start + len(chunk)}/{len(new_plans)}: "
                + ", ".join(
                    f"{name} {number}"
                    for name, number in self.counts.created.items()
                    if name in ("posts", "sessions", "applications", "attendance")
                )
            )

    def _load_post_chunk(self, plans: list[PostPlan]) -> None:
        posts = []
        sessions: list[VolunteerSession] = []
        applications: list[Application] = []
        attendance: list[Attendance] = []
        for plan in plans:
            builder = PostBuilder(plan=plan, loader=self)
            posts.append(builder.post)
            sessions.extend(builder.sessions)
            applications.extend(builder.applications)
            attendance.extend(builder.attendance)

        with explicit_timestamps(VolunteerPost, "created_at", "updated_at"):
            VolunteerPost.objects.bulk_create(posts, batch_size=BATCH_SIZE)
        VolunteerSession.objects.bulk_create(sessions, batch_size=BATCH_SIZE)
        with explicit_timestamps(Application, "created_at"):
            Application.objects.bulk_create(applications, batch_size=BATCH_SIZE)
        Attendance.objects.bulk_create(attendance, batch_size=BATCH_SIZE)
        self.counts.add("posts", len(posts))
        self.counts.add("sessions", len(sessions))
        self.counts.add("applications", len(applications))
        self.counts.add("attendance", len(attendance))

    # --- demo accounts' own history --------------------------------------

    def _attend(
        self,
        user: User,
        session: VolunteerSession,
        hours: Decimal,
        status: str = Status.CONFIRMED,
    ) -> Application:
        """Apply *user* to *session* with the given status and hold the place."""
        applied_at = min(session.starts_at - dt.timedelta(days=10), self.now)
        application = Application(
            post_id=session.post_id,
            session=session,
            applicant=user,
            status=status,
            created_at=applied_at,
            confirmed_at=applied_at if status == Status.CONFIRMED else None,
        )
        with explicit_timestamps(Application, "created_at"):
            application.save()
        if application.holds_places:
            VolunteerSession.objects.filter(pk=session.pk).update(
                places_taken=models.F("places_taken") + 1
            )
        if status == Status.CONFIRMED and session.ends_at < self.now:
            Attendance.objects.create(
                application=application,
                status=Attendance.Status.CONFIRMED,
                hours=hours,
                submitted_at=session.ends_at,
                confirmed_at=session.ends_at + dt.timedelta(days=1),
            )
        return application

    def _open_sessions(
        self, *, past: bool, high_school: bool, manual_review: bool = False
    ) -> models.QuerySet:
        """Return sessions with a free place that an adult or student may join."""
        sessions = VolunteerSession.objects.filter(
            places_taken__lt=models.F("capacity"),
            post__group__review_status=CivicGroup.ReviewStatus.APPROVED,
            post__minimum_age__isnull=True,
        ).select_related("post")
        if high_school:
            sessions = sessions.filter(post__welcomes_high_school=True)
        if manual_review:
            sessions = sessions.filter(post__auto_accept=False)
        if past:
            return sessions.filter(
                ends_at__lt=self.now, post__status=VolunteerPost.Status.CLOSED
            ).order_by("-starts_at")
        return sessions.filter(
            starts_at__gt=self.now + dt.timedelta(days=1),
            post__status=VolunteerPost.Status.PUBLISHED,
            post__application_deadline__isnull=True,
        ).order_by("starts_at")

    def load_student_hours(self, student: User, target_hours: int) -> None:
        """Give *student* *target_hours* confirmed hours and two upcoming sessions."""
        label = f"High-school student {student.email}"
        if Application.objects.filter(applicant=student).exists():
            self.report(f"{label}: history existing")
            return
        remaining = Decimal(target_hours)
        created = 0
        for session in self._open_sessions(past=True, high_school=True)[:200]:
            if remaining <= 0:
                break
            duration = Decimal((session.ends_at - session.starts_at).seconds // 3600)
            hours = min(duration, remaining)
            self._attend(student, session, hours)
            remaining -= hours
            created += 1
        for session in self._open_sessions(past=False, high_school=True)[:2]:
            self._attend(student, session, Decimal(0))
            created += 1
        self.counts.add("applications", created)
        self.report(
            f"{label}: {created} applications, "
            f"{target_hours - remaining} confirmed hours"
        )

    def load_resident_history(self, resident: User) -> None:
        """Give the demo resident past hours and upcoming applications."""
        if Application.objects.filter(applicant=resident).exists():
            self.report("Demo resident's history: existing")
            return
        created = 0
        for session in self._open_sessions(past=True, high_school=False)[:5]:
            self._attend(resident, session, Decimal(3))
            created += 1
        # Staff decide on these posts, so a pending application is plausible.
        upcoming = self._open_sessions(
            past=False, high_school=False, manual_review=True
        )[:4]
        statuses = [
            Status.CONFIRMED,
            Status.PENDING,
            Status.CONFIRMED,
            Status.CANCELLED_BY_VOLUNTEER,
        ]
        for session, status in zip(list(upcoming), statuses, strict=False):
            self._attend(resident, session, Decimal(0), status=status)
            created += 1
        self.counts.add("applications", created)
        self.report(f"Demo resident's history: {created} applications")

    def load_minor_pending_application(
        self, minor: User, staff_accounts: list[User]
    ) -> None:
        """Give a demo staff account's group a pending application from *minor*.

        The first group in *staff_accounts* order that has not accepted the
        minor (who is 17) gets it, so its applicant list shows the
        placeholder for residents under 18 in place of the name.
        """
        for staff in staff_accounts:
            groups = CivicGroup.objects.filter(memberships__user=staff)
            label = f"Pending application of {minor.email} to {staff.email}'s group"
            if Application.objects.filter(
                applicant=minor, status=Status.PENDING, post__group__in=groups
            ).exists():
                self.report(f"{label}: existing")
                return
            if Application.objects.filter(
                applicant=minor, status=Status.CONFIRMED, post__group__in=groups
            ).exists():
                continue
            session = (
                self._open_sessions(past=False, high_school=False, manual_review=True)
                .filter(post__group__in=groups)
                .exclude(applications__applicant=minor)
                .first()
            )
            if session is None:
                continue
            application = self._attend(
                minor, session, Decimal(0), status=Status.PENDING
            )
            Application.objects.filter(pk=application.pk).update(
                message="学校のボランティア活動として参加したいです。"
            )
            self.counts.add("applications", 1)
            self.report(f"{label}: created")
            return
        self.report(
            f"Pending application of {minor.email}: skipped, every demo staff "
            "group accepted the minor or has no open session that staff decide on"
        )


@dataclass
class PostPlan:
    group: CivicGroup
    template: PostTemplate
    title: str
    phase: str
    # Each post draws from its own generator, so the posts of a rerun
    # are the same whichever of them already exist.
    seed: int
    # Staff decide on each application (the demo staff accounts' groups).
    manual_review: bool = False
    # "attendance" or "fully_booked" on open posts of the demo staff
    # accounts' groups; see DemoLoader._plan_staff_showcase.
    showcase: str = ""


class PostBuilder:
    """Build one post with its sessions, applications and attendance (unsaved)."""

    def __init__(self, *, plan: PostPlan, loader: DemoLoader) -> None:
        self.plan = plan
        self.loader = loader
        self.rng = random.Random(plan.seed)  # noqa: S311
        self.now = loader.now
        self.today = loader.today
        self.staff = loader.group_staff[plan.group.pk]
        self.sessions: list[VolunteerSession] = []
        self.applications: list[Application] = []
        self.attendance: list[Attendance] = []
        self.post = self._build_post()
        if plan.template.year_round:
            self._build_year_round_applications()
        else:
            self._build_sessions()

    def _build_post(self) -> VolunteerPost:
        plan, template, rng = self.plan, self.plan.template, self.rng
        group = plan.group
        district = rng.choice(DISTRICTS[group.municipality.code])

        post = VolunteerPost(
            group=group,
            title=plan.title,
            description=template.description,
            activity_field=self.loader.fields[template.field_number],
            municipality=group.municipality,
            place=f"{group.municipality.name}{district}",
            tasks=template.tasks,
            what_to_bring=template.what_to_bring,
            accepts_teams=template.accepts_teams,
            welcomes_high_school=template.welcomes_high_school,
            minimum_age=template.minimum_age,
            contact_name=person_name(rng),
            contact_email=f"group{group.pk}@{DEMO_DOMAIN}",
            contact_phone=f"0{rng.randint(820, 838)}-{rng.randint(20, 99)}-"
            f"{rng.randint(1000, 9999)}",
            auto_accept=not plan.manual_review and rng.random() < 0.5,
            created_by=self.staff,
        )
        if template.is_online:
            post.is_online = True
            post.place = ONLINE_PLACE
        if template.year_round:
            post.kind = VolunteerPost.Kind.YEAR_ROUND
            post.monthly_capacity = template.capacities[0]

        self.first_day = self._first_day()
        published = dt.datetime.combine(
            self.first_day - dt.timedelta(days=rng.randint(10, 40)),
            dt.time(9),
            tzinfo=JAPAN,
        )
        if plan.showcase == "attendance":
            # Published before the two past sessions that the post shows.
            earliest = self.today - dt.timedelta(days=SHOWCASE_PAST_DAYS[0] + 10)
            published = min(
                published, dt.datetime.combine(earliest, dt.time(9), tzinfo=JAPAN)
            )
        phase = plan.phase
        if phase == "past":
            post.status = VolunteerPost.Status.CLOSED
            post.published_at = published
        elif phase == "current":
            post.status = VolunteerPost.Status.PUBLISHED
            post.published_at = min(published, self.now - dt.timedelta(hours=1))
            if not template.year_round and rng.random() < 0.3:
                post.application_deadline = dt.datetime.combine(
                    self.first_day - dt.timedelta(days=1), dt.time(17), tzinfo=JAPAN
                )
        elif phase == "scheduled":
            post.status = VolunteerPost.Status.SCHEDULED
            post.publish_at = self.now + dt.timedelta(days=rng.randint(1, 10))
        else:
            post.status = VolunteerPost.Status.DRAFT

        post.created_at = min(post.published_at or self.now, self.now) - dt.timedelta(
            days=rng.randint(1, 5)
        )
        post.updated_at = post.created_at
        post.search_text = post.build_search_text()
        return post

    def _first_day(self) -> dt.date:
        rng = self.rng
        phase = self.plan.phase
        if phase == "past":
            return self.today - dt.timedelta(days=rng.randint(200, 1000))
        if phase == "current":
            return self.today + dt.timedelta(days=rng.randint(2, 45))
        return self.today + dt.timedelta(days=rng.randint(20, 90))

    def _build_sessions(self) -> None:
        rng = self.rng
        if self.plan.showcase == "attendance":
            self._build_showcase_past_sessions()
        number = rng.choices((1, 2, 3, 4, 5, 6), (15, 15, 20, 20, 15, 15))[0]
        step = rng.choice((7, 14, 28))
        for index in range(number):
            day = self.first_day + dt.timedelta(days=index * step)
            if self.plan.phase == "past" and day >= self.today:
                break
            if rng.random() < 0.6:
                # Most activities fall on a Saturday.
                day += dt.timedelta(days=(5 - day.weekday()) % 7)
            session = self._new_session(day)
            if self.plan.phase in ("past", "current"):
                self._build_session_applications(session)
            if self.plan.showcase == "fully_booked":
                self._fill_session(session)

    def _new_session(self, day: dt.date) -> VolunteerSession:
        template = self.plan.template
        starts_at = dt.datetime.combine(day, dt.time(template.start_hour), tzinfo=JAPAN)
        session = VolunteerSession(
            post=self.post,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=template.hours),
            capacity=self.rng.choice(template.capacities),
        )
        self.sessions.append(session)
        return session

    def _build_showcase_past_sessions(self) -> None:
        """Add two past sessions whose confirmed volunteers await the staff.

        On the earlier one the volunteers reported their own hours, which
        staff have yet to approve. The later one has no attendance recorded.
        """
        pool = self._applicant_pool()
        reported, unrecorded = (
            self._new_session(self.today - dt.timedelta(days=days))
            for days in SHOWCASE_PAST_DAYS
        )
        for session in (reported, unrecorded):
            for applicant in self.rng.sample(pool, min(3, session.capacity)):
                application = self._application(
                    applicant, Status.CONFIRMED, 1, session.starts_at, session=session
                )
                session.places_taken += 1
                if session is reported:
                    self.attendance.append(
                        Attendance(
                            application=application,
                            hours=Decimal(self.plan.template.hours),
                            status=Attendance.Status.SUBMITTED,
                            submitted_at=session.ends_at + dt.timedelta(hours=5),
                        )
                    )

    def _fill_session(self, session: VolunteerSession) -> None:
        """Take every free place of *session* and put one applicant on the waitlist."""
        applied = {
            application.applicant.pk
            for application in self.applications
            if application.session is session
        }
        candidates = [user for user in self._applicant_pool() if user.pk not in applied]
        self.rng.shuffle(candidates)
        free = session.capacity - session.places_taken
        for applicant in candidates[:free]:
            status = Status.CONFIRMED if self.post.auto_accept else Status.PENDING
            self._application(applicant, status, 1, session.starts_at, session=session)
            session.places_taken += 1
        for applicant in candidates[free : free + 1]:
            self._application(
                applicant, Status.WAITLISTED, 1, session.starts_at, session=session
            )

    def _applicant_pool(self) -> list[User]:
        template = self.plan.template
        if template.welcomes_high_school and template.minimum_age is None:
            return self.loader.everyone
        return self.loader.adults

    def _build_session_applications(self, session: VolunteerSession) -> None:
        rng = self.rng
        past = session.starts_at < self.now
        pool = self._applicant_pool()
        applicants = rng.sample(pool, min(rng.randint(1, 9), len(pool)))
        for applicant in applicants:
            party = 1
            if self.post.accepts_teams and rng.random() < 0.1:
                party = min(rng.randint(2, 5), session.capacity)
            status = self._outcome(past)
            free = session.capacity - session.places_taken
            if status in Application.HOLDING_PLACES and party > free:
                status = Status.WAITLISTED
            application = self._application(
                applicant, status, party, session.starts_at, session=session
            )
            if application.holds_places:
                session.places_taken += party
            if past and status == Status.CONFIRMED:
                self._build_attendance(application, session.ends_at)

    def _outcome(self, past: bool) -> str:
        roll = self.rng.random()
        if past:
            return pick(roll, PAST_OUTCOMES)
        if self.post.auto_accept:
            return pick(roll, AUTO_ACCEPT_OUTCOMES)
        return pick(roll, REVIEWED_OUTCOMES)

    def _application(
        self,
        applicant: User,
        status: str,
        party: int,
        activity_at: dt.datetime,
        *,
        session: VolunteerSession | None = None,
        activity_date: dt.date | None = None,
    ) -> Application:
        applied_at = min(
            activity_at - dt.timedelta(days=self.rng.randint(2, 30)),
            self.now - dt.timedelta(hours=self.rng.randint(1, 48)),
        )
        decided_at = applied_at + dt.timedelta(hours=self.rng.randint(1, 40))
        application = Application(
            post=self.post,
            session=session,
            activity_date=activity_date,
            applicant=applicant,
            party_size=party,
            team_name="山口ケミカル株式会社 社会貢献部" if party > 1 else "",
            status=status,
            created_at=applied_at,
        )
        if status == Status.CONFIRMED:
            application.confirmed_at = (
                applied_at if self.post.auto_accept else decided_at
            )
        if status in (Status.CONFIRMED, Status.DECLINED) and not self.post.auto_accept:
            application.decided_at = decided_at
        if status in (Status.CANCELLED_BY_VOLUNTEER, Status.CANCELLED_BY_STAFF):
            application.cancelled_at = decided_at
            application.cancel_reason = "都合がつかなくなったため"
        self.applications.append(application)
        return application

    def _build_attendance(self, application: Application, ended_at: dt.datetime):
        roll = self.rng.random()
        hours = Decimal(self.plan.template.hours)
        record = Attendance(
            application=application,
            hours=hours,
            status=Attendance.Status.CONFIRMED,
            submitted_at=ended_at + dt.timedelta(hours=3),
        )
        if roll < 0.08:
            record.status = Attendance.Status.NO_SHOW
            record.hours = Decimal(0)
        elif roll < 0.15:
            record.status = Attendance.Status.SUBMITTED
        if record.status != Attendance.Status.SUBMITTED:
            record.confirmed_by = self.staff
            record.confirmed_at = ended_at + dt.timedelta(days=1)
        self.attendance.append(record)

    def _build_year_round_applications(self) -> None:
        """Spread day applications over past and coming weeks, within capacity."""
        rng = self.rng
        if self.plan.phase not in ("past", "current"):
            return
        start = self.today - dt.timedelta(days=60)
        if self.plan.phase == "past":
            start = self.first_day
        per_month: dict[tuple[int, int], int] = {}
        monthly_capacity = self.post.monthly_capacity or 0
        pool = self._applicant_pool()
        for applicant in rng.sample(pool, min(12, len(pool))):
            day = start + dt.timedelta(days=rng.randint(0, 89))
            if self.plan.phase == "past" and day >= self.today:
                continue
            past = day < self.today
            status = self._outcome(past)
            month = (day.year, day.month)
            if status in Application.HOLDING_PLACES:
                if per_month.get(month, 0) >= monthly_capacity:
                    continue
                per_month[month] = per_month.get(month, 0) + 1
            starts_at = dt.datetime.combine(
                day, dt.time(self.plan.template.start_hour), tzinfo=JAPAN
            )
            application = self._application(
                applicant, status, 1, starts_at, activity_date=day
            )
            if past and status == Status.CONFIRMED:
                ended_at = starts_at + dt.timedelta(hours=self.plan.template.hours)
                self._build_attendance(application, ended_at)


def load_demo_data(*, size: str, seed: int, report: Report) -> LoadCounts:
    """Load the demo data set of *size* ("small" or "prefecture")."""
    logger.info("Demo data load started: size %s, seed %s", size, seed)
    counts = DemoLoader(size=SIZES[size], seed=seed, report=report).run()
    # Imported here because probono.demo imports this module.
    from probono.demo import load_probono_demo

    load_probono_demo(size=size, seed=seed, report=report, counts=counts)
    logger.info("Demo data load finished: %s", counts.created)
    return counts
