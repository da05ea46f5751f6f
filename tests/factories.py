"""Factories for test data; reference data comes from the data migration."""

import datetime as dt

import factory
from django.utils import timezone

from civic_portal.accounts.models import User
from groups.models import ActivityField, CivicGroup, GroupMembership, Municipality
from volunteering.models import Application, VolunteerPost, VolunteerSession
from volunteering.services.next_session import refresh_next_session_starts


def municipality(code: str = "35203") -> Municipality:
    return Municipality.objects.get(code=code)


def activity_field(number: int = 7) -> ActivityField:
    return ActivityField.objects.get(number=number)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"resident{n}@example.jp")
    full_name = factory.Sequence(lambda n: f"山口 太郎{n}")
    name_kana = "やまぐち たろう"
    email_confirmed = True
    birth_date = dt.date(1990, 5, 1)
    occupation = User.Occupation.EMPLOYED
    privacy_consent_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = 1
    password = factory.django.Password("correct horse 42")
    municipality = factory.LazyFunction(municipality)


class CivicGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CivicGroup

    name = factory.Sequence(lambda n: f"やまぐち里山の会{n}")
    name_kana = "やまぐちさとやまのかい"
    legal_form = CivicGroup.LegalForm.NPO
    municipality = factory.LazyFunction(municipality)
    review_status = CivicGroup.ReviewStatus.APPROVED
    approved_at = factory.LazyFunction(timezone.now)
    registered_on = factory.LazyFunction(timezone.localdate)


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(CivicGroupFactory)
    user = factory.SubFactory(UserFactory)
    role = GroupMembership.Role.ADMIN


class VolunteerPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerPost

    group = factory.SubFactory(CivicGroupFactory)
    title = "竹林の間伐ボランティア"
    description = "荒れた竹林を間伐し、里山を取り戻します。"
    activity_field = factory.LazyFunction(activity_field)
    municipality = factory.LazyFunction(municipality)
    place = "山口市仁保"
    contact_name = "里山 花子"
    contact_email = "contact@example.jp"
    status = VolunteerPost.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class VolunteerSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerSession

    post = factory.SubFactory(VolunteerPostFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    capacity = 5

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        # The session services store the post's next session start; a
        # factory writes the row directly, so it refreshes the post itself.
        session = super()._create(model_class, *args, **kwargs)
        refresh_next_session_starts([session.post_id])
        session.post.refresh_from_db(fields=["next_session_starts_at"])
        return session


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A confirmed application that already holds its place."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    session = factory.SubFactory(VolunteerSessionFactory)
    post = factory.LazyAttribute(lambda o: o.session.post)
    applicant = factory.SubFactory(UserFactory)
    status = Application.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def hold_places(obj, create, extracted, **kwargs):
        if create and obj.session_id and obj.status in ("pending", "confirmed"):
            VolunteerSession.objects.filter(pk=obj.session_id).update(
                places_taken=obj.session.places_taken + obj.party_size
            )
            obj.session.refresh_from_db()


def centre_staff(user: User, scope: str = "prefecture") -> User:
    """Make *user* staff of the prefectural (or first municipal) centre."""
    from groups.models import SupportCentre, SupportCentreStaff

    centre = SupportCentre.objects.filter(scope=scope).order_by("pk").first()
    SupportCentreStaff.objects.get_or_create(centre=centre, user=user)
    return user


class EventFactory(factory.django.DjangoModelFactory):
    """A published event of a public group, a week from now."""

    class Meta:
        model = "groups.Event"

    group = factory.SubFactory(CivicGroupFactory)
    title = "里山の春まつり"
    description = "竹細工と山菜料理の体験会です。"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    municipality = factory.LazyFunction(municipality)
    place = "山口市民会館"
    status = "published"


class GrantNoticeFactory(factory.django.DjangoModelFactory):
    """A published grant notice whose deadline is a month from now."""

    class Meta:
        model = "groups.GrantNotice"

    title = "地域づくり活動助成"
    funder = "やまぐち地域振興財団"
    amount = "上限50万円"
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    is_published = True


class NewsletterSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.NewsletterSubscription"

    email = factory.Sequence(lambda n: f"reader{n}@example.jp")
    language = "ja"
    confirmed_at = factory.LazyFunction(timezone.now)


class SupportRequestFactory(factory.django.DjangoModelFactory):
    """A received support request for web help, with a contact in English."""

    class Meta:
        model = "probono.SupportRequest"
        skip_postgeneration_save = True

    group = factory.SubFactory(CivicGroupFactory)
    title = factory.Sequence(lambda n: f"ホームページの作り直し{n}")
    challenge = "website"
    description = "会の活動を伝えるホームページを作り直したい。"
    outcome = "スマートフォンで読めるホームページ"
    work_mode = "either"
    contact_name = "山口 花子"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.jp")

    @factory.post_generation
    def skill_keys(self, create, extracted, **kwargs):
        if not create:
            return
        from probono.models import Skill

        self.skills.set(Skill.objects.filter(key__in=extracted or ["it_web"]))


class ProbonoWorkerFactory(factory.django.DjangoModelFactory):
    """An active pro bono worker in Yamaguchi City with one web skill."""

    class Meta:
        model = "probono.ProbonoWorker"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    profession = "ウェブデザイナー"
    hours_per_month = 10
    available_evenings = True
    work_mode = "either"
    municipality = factory.LazyFunction(municipality)
    contact_consent_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def skill_keys(self, create, extracted, **kwargs):
        if not create:
            return
        from probono.models import Skill, WorkerSkill

        for key in extracted or ["it_web"]:
            skill = Skill.objects.get(key=key)
            WorkerSkill.objects.create(worker=self, skill=skill, level=2, years=5)
