"""One world of real objects and one user per role, for the permission matrix.

build_world() creates the objects; World.kwargs maps each rule's target
key to the keyword arguments of its URL. Every object belongs to GROUP
(Yamaguchi City, 35203) or to RESIDENT unless its name says otherwise,
so a role's relation to each target is the one Role's docstring states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from campaigns.models import PhotoExport
from civic_portal.accounts.models import User
from civic_portal.security.permissions.rules import Role
from facilitation.models import (
    ActionItem,
    CaseStage,
    CollaborationCase,
    FacilitatorAppointment,
    MeetingSeries,
)
from facilitation.services import cases as case_services
from facilitation.services import examples as example_services
from facilitation.services import meetings as meeting_services
from groups.models import (
    AnnualGroupReport,
    Certification,
    CivicGroup,
    Consultation,
    Event,
    GroupChangeRequest,
    GroupInvitation,
    NewsletterIssue,
    SupportCentre,
    SupportCentreStaff,
)
from groups.services import newsletter as newsletter_services
from indicators.models import WhitePaperExport
from probono.permissions import CONCIERGE_GROUP
from tests.campaigns.factories import (
    CampaignFactory,
    LoanFactory,
    ParticipationFactory,
    PhotoFactory,
    upload,
)
from tests.facilitation.factories import (
    FacilitatorFactory,
    PartnerFactory,
    RecognitionFactory,
    TrainingSessionFactory,
    chief_facilitator,
    complete_course,
)
from tests.factories import (
    ApplicationFactory,
    CivicGroupFactory,
    EventFactory,
    GrantNoticeFactory,
    GroupMembershipFactory,
    NewsletterSubscriptionFactory,
    ProbonoWorkerFactory,
    SupportRequestFactory,
    UserFactory,
    VolunteerPostFactory,
    VolunteerSessionFactory,
)
from tests.partner_links.factories import (
    EnrolmentFactory,
    PointsProgrammeFactory,
    SchoolLinkFactory,
    participation,
)
from tests.probono.factories_case_studies import CaseStudyFactory
from tests.probono.factories_projects import MilestoneFactory, ProposalFactory
from tests.probono.factories_proposals import InterestFactory
from tests.security.permission_world_api import add_api_objects
from volunteering.apply_links import make_apply_token
from volunteering.models import Attendance, PostPhoto, PostReport, VolunteerPost

MUNICIPALITY_CODE = "35203"


@dataclass
class World:
    """The users of each role and the URL arguments of each target."""

    users: dict[Role, User] = field(default_factory=dict)
    kwargs: dict[str, dict[str, Any]] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)


def _user(email: str, **fields: Any) -> User:
    return UserFactory(email=email, preferred_language="en", **fields)


def _add_users(world: World) -> None:
    users = world.users
    users[Role.RESIDENT] = _user("resident@example.jp", phone="090-1234-5678")
    users[Role.OTHER_RESIDENT] = _user("other-resident@example.jp")
    users[Role.GROUP_STAFF] = _user("group-staff@example.jp")
    users[Role.OTHER_GROUP_STAFF] = _user("other-staff@example.jp")
    users[Role.PRO_BONO_WORKER] = _user("worker@example.jp")
    users[Role.CONCIERGE] = _user("concierge@example.jp")
    users[Role.CONCIERGE].groups.add(Group.objects.get(name=CONCIERGE_GROUP))
    users[Role.FACILITATOR] = _user("facilitator@example.jp")
    users[Role.CENTRE_STAFF] = _user("centre-staff@example.jp")
    users[Role.PREFECTURAL_STAFF] = _user("prefecture@example.jp")
    users[Role.PARTNER] = _user("partner@company.example.jp")
    users[Role.ADMIN] = _user("admin@example.jp", is_staff=True, is_superuser=True)


def _centres(world: World) -> None:
    prefectural = SupportCentre.objects.get(scope=SupportCentre.Scope.PREFECTURE)
    municipal = SupportCentre.objects.get(
        scope=SupportCentre.Scope.MUNICIPAL, municipality__code=MUNICIPALITY_CODE
    )
    SupportCentreStaff.objects.create(
        centre=municipal, user=world.users[Role.CENTRE_STAFF]
    )
    SupportCentreStaff.objects.create(
        centre=prefectural, user=world.users[Role.PREFECTURAL_STAFF]
    )
    world.objects["centre"] = municipal
    world.objects["prefectural_centre"] = prefectural
    world.kwargs["centre"] = {"pk": municipal.pk}


def _groups(world: World) -> None:
    users = world.users
    group = CivicGroupFactory(name="やまぐち里山の会")
    GroupMembershipFactory(group=group, user=users[Role.GROUP_STAFF])
    other_group = CivicGroupFactory(name="周南こども食堂")
    GroupMembershipFactory(group=other_group, user=users[Role.OTHER_GROUP_STAFF])
    world.objects["group"] = group
    world.objects["other_group"] = other_group
    world.kwargs["group"] = {"pk": group.pk}
    world.kwargs["group_reports"] = {"group_pk": group.pk}

    # A registration that GROUP_STAFF submitted and the centre has yet to
    # review.
    pending = CivicGroupFactory(
        name="秋穂の海を守る会",
        review_status=CivicGroup.ReviewStatus.PENDING,
        approved_at=None,
    )
    GroupMembershipFactory(group=pending, user=users[Role.GROUP_STAFF])
    world.kwargs["pending_group"] = {"pk": pending.pk}

    invitation = GroupInvitation.objects.create(
        group=group,
        email=users[Role.RESIDENT].email,
        role="editor",
        token="invitation-token-for-resident",
        invited_by=users[Role.GROUP_STAFF],
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    world.kwargs["invitation"] = {"token": invitation.token}
    world.kwargs["staff_action"] = {"pk": group.pk, "action": "role"}

    certification = Certification.objects.create(
        group=group,
        kind=Certification.Kind.CERTIFIED,
        certified_on=dt.date(2024, 4, 1),
        expires_on=dt.date(2029, 3, 31),
    )
    world.kwargs["certification"] = {
        "pk": group.pk,
        "certification_pk": certification.pk,
    }
    change = GroupChangeRequest.objects.create(
        group=group, name="やまぐち里山の会（新）", requested_by=users[Role.GROUP_STAFF]
    )
    world.kwargs["change_request"] = {"pk": change.pk}

    report = AnnualGroupReport.objects.create(
        group=group,
        fiscal_year=2025,
        main_activities="竹林の整備",
        self_evaluation=3,
        submitted_by=users[Role.GROUP_STAFF],
        submitted_at=timezone.now(),
    )
    world.kwargs["annual_report"] = {"group_pk": group.pk, "pk": report.pk}
    world.kwargs["annual_report_staff"] = {"pk": report.pk}

    consultation = Consultation.objects.create(
        centre=world.objects["centre"],
        asker=users[Role.RESIDENT],
        channel=Consultation.Channel.PORTAL,
        topic=Consultation.Topic.choices[0][0],
        question="会計の相談です。",
    )
    world.kwargs["consultation"] = {"pk": consultation.pk}


def _events_and_news(world: World) -> None:
    group = world.objects["group"]
    event = EventFactory(group=group)
    world.objects["event"] = event
    world.kwargs["event"] = {"pk": event.pk}
    grant = GrantNoticeFactory()
    world.kwargs["grant"] = {"pk": grant.pk}

    issue = NewsletterIssue.objects.create(
        month=dt.date(2026, 4, 1),
        subject="4月号",
        body="今月のお知らせです。",
        status=NewsletterIssue.Status.SENT,
        sent_at=timezone.now(),
    )
    world.kwargs["newsletter_issue"] = {"pk": issue.pk}
    subscription = NewsletterSubscriptionFactory(email="reader@example.jp")
    world.kwargs["newsletter_confirm"] = {
        "token": newsletter_services.confirmation_token(subscription)
    }
    world.kwargs["newsletter_unsubscribe"] = {
        "token": newsletter_services.unsubscribe_token(subscription)
    }


def _drafts(world: World) -> None:
    """Add a draft of each public kind of object, which the public must not see."""
    group = world.objects["group"]
    post = VolunteerPostFactory(
        group=group, status=VolunteerPost.Status.DRAFT, published_at=None
    )
    VolunteerSessionFactory(post=post)
    event = EventFactory(group=group, status=Event.Status.DRAFT)
    grant = GrantNoticeFactory(is_published=False)
    issue = NewsletterIssue.objects.create(
        month=dt.date(2026, 5, 1), subject="5月号", body="下書きです。"
    )
    world.kwargs["draft_post"] = {"pk": post.pk}
    world.kwargs["draft_event"] = {"pk": event.pk}
    world.kwargs["draft_grant"] = {"pk": grant.pk}
    world.kwargs["draft_newsletter_issue"] = {"pk": issue.pk}


def _volunteering(world: World) -> None:
    resident = world.users[Role.RESIDENT]
    post = VolunteerPostFactory(group=world.objects["group"])
    world.objects["post"] = post
    world.kwargs["post"] = {"pk": post.pk}

    # RESIDENT is confirmed for yesterday's session and has submitted hours.
    session = VolunteerSessionFactory(
        post=post, starts_at=timezone.now() - dt.timedelta(days=1)
    )
    future_session = VolunteerSessionFactory(post=post)
    application = ApplicationFactory(session=session, applicant=resident)
    attendance = Attendance.objects.create(
        application=application,
        status=Attendance.Status.SUBMITTED,
        hours=Decimal("3"),
        submitted_at=timezone.now(),
    )
    world.kwargs["session"] = {"pk": future_session.pk}
    world.kwargs["past_session"] = {"pk": session.pk}
    world.kwargs["application"] = {"pk": application.pk}
    world.kwargs["application_decision"] = {
        "pk": application.pk,
        "decision": "decline",
    }
    world.kwargs["attendance"] = {"pk": attendance.pk}

    report = PostReport.objects.create(
        post=post, title="活動報告", body="竹林を整備しました。"
    )
    photo = PostPhoto.objects.create(
        post=post, image=upload("bamboo.jpg"), alt_text="竹林の様子"
    )
    world.kwargs["post_report"] = {"pk": report.pk}
    world.kwargs["post_photo"] = {"pk": photo.pk}

    year_round = VolunteerPostFactory(group=world.objects["group"], kind="year_round")
    day = timezone.localdate() - dt.timedelta(days=3)
    participation(resident, day, post=year_round)
    world.kwargs["year_round_post"] = {"pk": year_round.pk}
    world.kwargs["year_round_day"] = {"pk": year_round.pk, "day": day}

    world.kwargs["apply_link"] = {
        "token": make_apply_token(user_id=resident.pk, session_id=future_session.pk)
    }
    world.kwargs["calendar_feed"] = {"token": resident.calendar_token}


def _accounts(world: World) -> None:
    resident = world.users[Role.RESIDENT]
    world.kwargs["resident_account"] = {"pk": resident.pk}
    # A valid link confirms the address and redirects every visitor to the
    # log-in page, so the matrix opens a link that is not valid.
    world.kwargs["email_confirmation"] = {"token": "not-a-confirmation-token"}
    world.kwargs["password_reset"] = {
        "uidb64": urlsafe_base64_encode(force_bytes(resident.pk)),
        "token": default_token_generator.make_token(resident),
    }


def _probono(world: World) -> None:
    users = world.users
    worker = ProbonoWorkerFactory(user=users[Role.PRO_BONO_WORKER])
    request = SupportRequestFactory(
        group=world.objects["group"],
        state="in_progress",
        concierge=users[Role.CONCIERGE],
    )
    world.objects["worker"] = worker
    world.objects["support_request"] = request
    world.kwargs["worker"] = {"pk": worker.pk}
    world.kwargs["support_request"] = {"pk": request.pk}


def _probono_workflow(world: World) -> None:
    users = world.users
    worker = world.objects["worker"]
    request = world.objects["support_request"]
    proposal = ProposalFactory(request=request, worker=worker)
    milestone = MilestoneFactory(request=request)
    world.kwargs["proposal"] = {"pk": proposal.pk}
    world.kwargs["milestone"] = {"pk": request.pk, "milestone_pk": milestone.pk}

    open_request = SupportRequestFactory(
        group=world.objects["group"], state="searching", concierge=users[Role.CONCIERGE]
    )
    InterestFactory(request=open_request, worker=worker)
    world.kwargs["open_request"] = {"pk": open_request.pk}

    closed = SupportRequestFactory(
        group=world.objects["group"], state="closed", concierge=users[Role.CONCIERGE]
    )
    ProposalFactory(request=closed, worker=worker)
    world.kwargs["closed_request"] = {"request_pk": closed.pk}
    case_study = CaseStudyFactory(request=closed, created_by=users[Role.CONCIERGE])
    world.kwargs["case_study"] = {"pk": case_study.pk}
    published = CaseStudyFactory(
        request=SupportRequestFactory(group=world.objects["group"], state="closed"),
        created_by=users[Role.CONCIERGE],
        published_at=timezone.now(),
    )
    world.kwargs["published_case_study"] = {"pk": published.pk}
    world.kwargs["case_study_consent"] = {
        "pk": case_study.pk,
        "party": "group",
        "action": "give",
    }


def _facilitation(world: World) -> None:
    users = world.users
    centre = world.objects["centre"]
    facilitator = FacilitatorFactory(user=users[Role.FACILITATOR])
    complete_course(facilitator.user)
    appointment = FacilitatorAppointment.objects.create(
        facilitator=facilitator, centre=centre, starts_on=dt.date(2020, 4, 1)
    )
    chief = chief_facilitator("chief@example.jp")
    partner = PartnerFactory(contact_email=users[Role.PARTNER].email)
    world.objects["partner"] = partner
    world.kwargs["partner"] = {"pk": partner.pk}
    world.kwargs["facilitator"] = {"pk": facilitator.pk}
    world.kwargs["appointment"] = {"pk": appointment.pk}
    course = TrainingSessionFactory().course
    world.kwargs["course"] = {"pk": course.pk}
    recognition = RecognitionFactory(group=world.objects["group"])
    world.kwargs["recognition"] = {"pk": recognition.pk}
    world.kwargs["recognition_year"] = {"year": recognition.fiscal_year}

    case = case_services.open_case(
        user=facilitator.user,
        centre=centre,
        title="里山と企業の協働",
        shared_goal="里山を残す",
    )
    party = case_services.add_party(
        case,
        facilitator.user,
        group=world.objects["group"],
        role="運営",
        contribution="草刈り",
    )
    world.kwargs["case"] = {"pk": case.pk}
    world.kwargs["case_party"] = {"pk": case.pk, "party_pk": party.pk}
    world.kwargs["case_for_example"] = {"case_pk": case.pk}

    done = case_services.open_case(
        user=facilitator.user,
        centre=centre,
        title="竹林の共同整備",
        shared_goal="竹林を整える",
    )
    done_party = case_services.add_party(
        done,
        facilitator.user,
        partner=partner,
        role="資材",
        contribution="機材の貸し出し",
    )
    CollaborationCase.objects.filter(pk=done.pk).update(stage=CaseStage.COMPLETED)
    done.refresh_from_db()
    example = example_services.draft_example(
        done,
        facilitator.user,
        title="竹林整備の協働",
        summary="企業と団体が竹林を整備した。",
        texts={done_party.pk: ("機材を貸した", "社員の学び")},
    )
    world.kwargs["example"] = {"pk": example.pk}
    row = example.parties.get()
    world.kwargs["example_consent"] = {"pk": example.pk, "row_pk": row.pk}

    starts_at = timezone.now() + dt.timedelta(days=5)
    meeting = meeting_services.create_meeting(
        chief.user,
        title="情報共有会議",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        location="研修室",
        attendees=[facilitator],
    )
    world.kwargs["meeting"] = {"pk": meeting.pk}
    series = meeting_services.schedule_series(
        chief.user,
        meeting_services.SeriesPlan(
            title="月例会議",
            location="研修室",
            frequency=MeetingSeries.Frequency.MONTHLY,
            weekday=1,
            week_of_month=2,
            start_time=dt.time(14, 0),
            end_time=dt.time(15, 0),
            starts_on=dt.date(2027, 4, 1),
            ends_on=dt.date(2027, 6, 30),
        ),
        [facilitator],
    )
    world.kwargs["meeting_series"] = {"pk": series.pk}
    action = ActionItem.objects.create(
        meeting=meeting,
        title="資料を送る",
        owner=facilitator.user,
        due_on=timezone.localdate() + dt.timedelta(days=10),
        created_by=chief.user,
    )
    world.kwargs["action_item"] = {"pk": action.pk}


def _campaigns(world: World) -> None:
    users = world.users
    campaign = CampaignFactory(municipality=world.objects["centre"].municipality)
    participation = ParticipationFactory(campaign=campaign, user=users[Role.RESIDENT])
    loan = LoanFactory(participation=participation)
    photo = PhotoFactory(participation=participation)
    export = PhotoExport.objects.create(
        campaign=campaign,
        requested_by=users[Role.CENTRE_STAFF],
        status=PhotoExport.Status.DONE,
        file=ContentFile(b"PK\x05\x06" + bytes(18), name="photos.zip"),
    )
    world.kwargs["campaign"] = {"pk": campaign.pk}
    world.kwargs["participation"] = {"pk": participation.pk}
    world.kwargs["participation_consent"] = {"pk": participation.pk, "action": "give"}
    world.kwargs["loan"] = {"pk": loan.pk}
    world.kwargs["loan_action"] = {"pk": loan.pk, "action": "approve"}
    world.kwargs["loan_item"] = {"pk": loan.item.pk}
    world.kwargs["campaign_photo"] = {"pk": photo.pk}
    # The photo awaits review, so its file is not public.
    world.kwargs["campaign_photo_file"] = {"path": photo.image.name}
    world.kwargs["photo_export"] = {"pk": export.pk}


def _partner_links(world: World) -> None:
    users = world.users
    programme = PointsProgrammeFactory(partner=world.objects["partner"])
    programme.partner_accounts.add(users[Role.PARTNER])
    enrolment = EnrolmentFactory(programme=programme, resident=users[Role.RESIDENT])
    other_programme = PointsProgrammeFactory(partner=world.objects["partner"])
    link = SchoolLinkFactory(
        student=users[Role.RESIDENT], teacher_email=users[Role.PARTNER].email
    )
    world.kwargs["programme"] = {"pk": programme.pk}
    world.kwargs["open_programme"] = {"pk": other_programme.pk}
    world.kwargs["enrolment"] = {"pk": enrolment.pk}
    world.kwargs["school_link"] = {"pk": link.pk}


def _indicators(world: World) -> None:
    export = WhitePaperExport.objects.create(
        fiscal_year=2025,
        requested_by=world.users[Role.PREFECTURAL_STAFF],
        status=WhitePaperExport.Status.DONE,
        html_file=ContentFile(b"<!doctype html><title>2025</title>", name="wp.html"),
    )
    world.kwargs["fiscal_year"] = {"fiscal_year": 2025}
    world.kwargs["white_paper_export"] = {"export_id": export.pk}
    world.kwargs["white_paper_download"] = {"export_id": export.pk, "kind": "html"}
    world.kwargs["indicator"] = {"key": "civic_groups"}
    world.kwargs["indicator_year"] = {"key": "civic_groups", "fiscal_year": 2025}


def _outreach(world: World) -> None:
    world.kwargs["municipality_feed"] = {"code": MUNICIPALITY_CODE}
    world.kwargs["field_feed"] = {"number": 7}
    world.kwargs["directory_export"] = {"file_format": "csv"}


def build_world() -> World:
    """Create every object of the world and return their URL arguments."""
    world = World()
    _add_users(world)
    _centres(world)
    _groups(world)
    _events_and_news(world)
    _volunteering(world)
    _drafts(world)
    _accounts(world)
    _probono(world)
    _probono_workflow(world)
    _facilitation(world)
    _campaigns(world)
    _partner_links(world)
    _indicators(world)
    _outreach(world)
    add_api_objects(world)
    return world
