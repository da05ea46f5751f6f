"""Demo campaigns, loaded after the groups and the demo accounts exist.

Two campaigns: the autumn civic-activity promotion months of the latest
autumn, and a volunteer challenge that runs around the day of the load.
Each has group and resident participations with activities, loans of the
listed items and approved photos. The photos are drawn with Pillow (a
sky, a field and a row of banners), so no file is downloaded and no
person is shown.

The demo accounts take part in the challenge through the services, so
they see working pages: resident@ as a resident and staff@ for the first
demo group. Rows of a campaign whose registration has closed are written
directly, because the services accept changes only while it is open.
Each campaign's natural key is its title and first day, so a second run
finds it and creates nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from campaigns.models import Activity, Campaign, Loan, LoanItem, Participation, Photo
from campaigns.services import loans as loan_services
from campaigns.services import photos as photo_services
from campaigns.services.participations import ActivityData, register_participation
from civic_portal.accounts.ages import today_in_japan
from civic_portal.accounts.models import User
from groups.models import CivicGroup, Municipality
from probono.demo import mails_discarded
from volunteering.demo import DEMO_DOMAIN, LoadCounts, Report

logger = logging.getLogger(__name__)

# Name, description and quantity of each item the centres lend.
ITEMS = (
    ("のぼり旗「やまぐち県民活動」", "屋外用ののぼり旗とポールのセットです。", 12),
    ("県民活動キャップ", "活動時にかぶるオレンジ色のキャップです。", 60),
    ("ビブス", "番号入りのビブスです。清掃やイベントの誘導に使えます。", 40),
    ("横断幕", "幅3メートルの横断幕です。", 3),
)
ACTIVITY_TITLES = (
    ("海岸清掃", "秋穂海岸"),
    ("竹林の間伐", "仁保地区の竹林"),
    ("子ども食堂の応援", "地域交流センター"),
    ("高齢者宅の雪かき準備", "自治会館"),
    ("花壇の植え替え", "駅前広場"),
    ("防災マップづくり", "公民館"),
    ("河川敷の清掃", "椹野川河川敷"),
    ("読み聞かせ会", "市立図書館"),
)
CAPTIONS = (
    "のぼり旗を立てて活動を呼びかけました",
    "参加者みんなで海岸のごみを拾いました",
    "夕方の清掃活動のあと、きれいになった広場",
    "秋晴れの下、花壇を植え替えました",
    "活動の拠点にしたテントと横断幕",
    "朝の河川敷。清掃の準備をしています",
)
CAMPAIGN_MUNICIPALITY_CODES = ("35203", "35201", "35202", "35215", "35206")
AUTUMN_GROUPS = 10
CHALLENGE_GROUPS = 5
AUTUMN_PHOTOS = 6


@dataclass(frozen=True)
class CampaignPlan:
    title: str
    description: str
    starts_on: dt.date
    ends_on: dt.date


def autumn_plan(today: dt.date) -> CampaignPlan:
    """Return the plan of the promotion months of the latest autumn that has begun."""
    year = today.year if today >= dt.date(today.year, 10, 1) else today.year - 1
    return CampaignPlan(
        title=f"{year}年度 秋の県民活動促進月間",
        description=(
            "10月と11月は県民活動促進月間です。県内の団体や県民の皆さんが、"
            "清掃、見守り、子育て支援など、それぞれの地域で活動します。"
            "参加登録をすると、のぼり旗やキャップを借りることができます。"
            "活動の写真はギャラリーで紹介し、年度末の展示会でも展示します。"
        ),
        starts_on=dt.date(year, 10, 1),
        ends_on=dt.date(year, 11, 30),
    )


def challenge_plan(today: dt.date) -> CampaignPlan:
    """Return a challenge plan from the first of this month to the end of the next."""
    first = today.replace(day=1)
    after_next = (first + dt.timedelta(days=62)).replace(day=1)
    return CampaignPlan(
        title=f"やまぐちボランティアチャレンジ {first.year}",
        description=(
            "はじめての人も、久しぶりの人も、この期間にボランティア活動に"
            "ひとつ挑戦してみませんか。団体での活動も、個人での活動も登録"
            "できます。"
        ),
        starts_on=first,
        ends_on=after_next - dt.timedelta(days=1),
    )


def draw_photo(rng: random.Random) -> bytes:
    """Draw an 800×533 JPEG: sky, sun, a field and a row of banners."""
    width, height = 800, 533
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    sky_top = (rng.randint(60, 120), rng.randint(140, 190), 235)
    for y in range(height * 2 // 3):
        shade = y / (height * 2 / 3)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(c + (255 - c) * shade * 0.6) for c in sky_top),
        )
    sun_x = rng.randint(80, width - 80)
    draw.ellipse([sun_x - 40, 50, sun_x + 40, 130], fill=(255, 214, 90))
    ground = (rng.randint(70, 120), rng.randint(140, 180), rng.randint(60, 90))
    draw.rectangle([0, height * 2 // 3, width, height], fill=ground)
    banner = (rng.randint(200, 255), rng.randint(80, 140), 40)
    for index in range(rng.randint(3, 6)):
        x = 60 + index * rng.randint(110, 140)
        draw.line([(x, 200), (x, 420)], fill=(90, 90, 90), width=5)
        draw.rectangle([x + 3, 205, x + 43, 330], fill=banner)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class CampaignDemoLoader:
    """Load the demo campaigns. Call `run()` once per instance."""

    def __init__(self, *, seed: int, report: Report, counts: LoadCounts) -> None:
        self.rng = random.Random(f"{seed}:campaigns")  # noqa: S311
        self.report = report
        self.counts = counts
        self.today = today_in_japan()
        self.municipalities = list(
            Municipality.objects.filter(code__in=CAMPAIGN_MUNICIPALITY_CODES)
        )

    def run(self) -> None:
        centre = User.objects.filter(email=f"centre@{DEMO_DOMAIN}").first()
        if centre is None:
            self.report("Campaigns: the demo centre account is missing; skipped")
            return
        items = self.load_items()
        with mails_discarded():
            self.load_autumn(centre, items)
            self.load_challenge(centre, items)

    def load_items(self) -> list[LoanItem]:
        items = []
        for name, description, quantity in ITEMS:
            item, created = LoanItem.objects.get_or_create(
                name=name, defaults={"description": description, "quantity": quantity}
            )
            self.counts.add("campaign loan items", int(created))
            items.append(item)
        return items

    def _campaign(self, plan: CampaignPlan, centre: User) -> Campaign | None:
        """Create the campaign of *plan*, or return None if it exists."""
        if Campaign.objects.filter(title=plan.title, starts_on=plan.starts_on).exists():
            self.report(f"Campaigns: {plan.title} exists; skipped")
            return None
        self.counts.add("campaigns", 1)
        return Campaign.objects.create(
            title=plan.title,
            description=plan.description,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            registration_open=plan.ends_on >= self.today,
            created_by=centre,
        )

    def _day_in(self, campaign: Campaign) -> dt.date:
        span = (campaign.ends_on - campaign.starts_on).days
        return campaign.starts_on + dt.timedelta(days=self.rng.randint(0, span))

    def _activity(self, campaign: Campaign) -> ActivityData:
        title, place = self.rng.choice(ACTIVITY_TITLES)
        return ActivityData(
            title=title,
            date=self._day_in(campaign),
            place=place,
            municipality=self.rng.choice(self.municipalities),
            expected_participants=self.rng.randint(5, 40),
        )

    def _groups(self, count: int, exclude: list[int]) -> list[CivicGroup]:
        staffed = (
            CivicGroup.objects.public()
            .filter(memberships__isnull=False)
            .exclude(pk__in=exclude)
            .distinct()
            .order_by("pk")
        )
        return list(staffed[:count])

    def _photo(self, participation: Participation, user: User, index: int) -> Photo:
        image = SimpleUploadedFile(
            f"demo-{index}.jpg", draw_photo(self.rng), "image/jpeg"
        )
        photo = photo_services.upload_photo(
            participation,
            user,
            image=image,
            caption=CAPTIONS[index % len(CAPTIONS)],
            credit=participation.participant_name,
            people=Photo.People.NONE_IDENTIFIABLE,
            statement_confirmed=True,
        )
        self.counts.add("campaign photos", 1)
        return photo

    @transaction.atomic
    def load_autumn(self, centre: User, items: list[LoanItem]) -> None:
        """Load the promotion months, written directly once registration closed."""
        campaign = self._campaign(autumn_plan(self.today), centre)
        if campaign is None:
            return
        groups = self._groups(AUTUMN_GROUPS, exclude=[])
        for index, group in enumerate(groups):
            staff = group.memberships.select_related("user").first()
            assert staff is not None
            participation = Participation.objects.create(
                campaign=campaign,
                group=group,
                user=staff.user,
                summary=f"{group.name}として、地域で清掃と見守りの活動を行います。",
            )
            Activity.objects.bulk_create(
                Activity(participation=participation, **vars(self._activity(campaign)))
                for _ in range(self.rng.randint(1, 3))
            )
            if index < len(items):
                self._past_loan(participation, items[index], staff.user)
            if index < AUTUMN_PHOTOS:
                photo = self._photo(participation, staff.user, index)
                photo_services.approve_photo(photo, centre)
        self.counts.add("campaign participations", len(groups))
        self.report(f"Campaigns: {campaign.title} with {len(groups)} groups loaded")

    def _past_loan(
        self, participation: Participation, item: LoanItem, user: User
    ) -> None:
        starts_on = self._day_in(participation.campaign)
        ends_on = min(starts_on + dt.timedelta(days=2), participation.campaign.ends_on)
        now = timezone.now()
        returned = ends_on < self.today
        Loan.objects.create(
            item=item,
            participation=participation,
            quantity=min(item.quantity, self.rng.randint(1, 5)),
            starts_on=starts_on,
            ends_on=ends_on,
            status=Loan.Status.RETURNED if returned else Loan.Status.APPROVED,
            requested_by=user,
            handled_by=participation.campaign.created_by,
            decided_at=now,
            lent_at=now if returned else None,
            returned_at=now if returned else None,
        )
        self.counts.add("campaign loans", 1)

    @transaction.atomic
    def load_challenge(self, centre: User, items: list[LoanItem]) -> None:
        """Load the running challenge through the services, as the pages would."""
        campaign = self._campaign(challenge_plan(self.today), centre)
        if campaign is None:
            return
        resident = User.objects.filter(email=f"resident@{DEMO_DOMAIN}").first()
        staff = User.objects.filter(email=f"staff@{DEMO_DOMAIN}").first()
        staff_group = (
            CivicGroup.objects.public().managed_by(staff).order_by("pk").first()
            if staff
            else None
        )

        participations: list[tuple[Participation, User]] = []
        if resident is not None:
            participations.append((self._register(campaign, resident, None), resident))
        if staff is not None and staff_group is not None:
            participations.append((self._register(campaign, staff, staff_group), staff))
        exclude = [staff_group.pk] if staff_group else []
        for group in self._groups(CHALLENGE_GROUPS, exclude=exclude):
            member = group.memberships.select_related("user").first()
            assert member is not None
            participations.append(
                (self._register(campaign, member.user, group), member.user)
            )

        self._challenge_loans(campaign, participations, items, centre)
        for index, (participation, user) in enumerate(participations[:3]):
            photo = self._photo(participation, user, index)
            if index > 0:
                photo_services.approve_photo(photo, centre)
        self.report(
            f"Campaigns: {campaign.title} with {len(participations)} "
            "participations loaded"
        )

    def _register(
        self, campaign: Campaign, user: User, group: CivicGroup | None
    ) -> Participation:
        activities = [self._activity(campaign) for _ in range(self.rng.randint(1, 2))]
        participation = register_participation(
            campaign,
            user,
            group=group,
            summary="期間中にボランティア活動に挑戦します。",
            activities=activities,
            share_consent=group is None,
        )
        self.counts.add("campaign participations", 1)
        return participation

    def _challenge_loans(
        self,
        campaign: Campaign,
        participations: list[tuple[Participation, User]],
        items: list[LoanItem],
        centre: User,
    ) -> None:
        """Request loans in every state: requested, approved, lent and overdue."""
        for index, (participation, user) in enumerate(participations):
            item = items[index % len(items)]
            starts_on = self._day_in(campaign)
            ends_on = min(starts_on + dt.timedelta(days=3), campaign.ends_on)
            overdue = (
                index == 2 and campaign.starts_on + dt.timedelta(days=1) < self.today
            )
            if overdue:
                starts_on = campaign.starts_on
                ends_on = campaign.starts_on + dt.timedelta(days=1)
            loan = loan_services.request_loan(
                participation,
                user,
                item=item,
                quantity=1,
                starts_on=starts_on,
                ends_on=ends_on,
                note="活動の前日に受け取りに伺います。",
            )
            self.counts.add("campaign loans", 1)
            if index % 3 == 0:
                continue
            loan_services.approve_loan(loan, centre)
            if overdue or index % 3 == 2:
                loan_services.mark_lent(loan, centre)


def load_campaign_demo(*, seed: int, report: Report, counts: LoadCounts) -> None:
    """Load the demo campaigns and add the numbers of new rows to *counts*."""
    logger.info("Campaign demo data load started: seed %s", seed)
    CampaignDemoLoader(seed=seed, report=report, counts=counts).run()
    logger.info("Campaign demo data load finished")
