"""The register of personal data that the portal keeps.

Each PersonalDataFile declares one model (or one part of a model) that
holds personal data: its kind of data, the personal fields, the purpose of
use, who may see them and how long they are kept. The privacy page, the
generated docs/personal-data-register.md and a resident's own-data page
all read these declarations. find_personal_fields() walks every installed
model and returns the fields that look personal, so a test fails when a new
field is neither declared here nor listed in REVIEWED_NOT_PERSONAL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DataKind:
    """A kind of personal data as the privacy notice names it."""

    key: str
    title: str | Promise
    purpose: str | Promise
    seen_by: str | Promise
    retention: str | Promise


class Erasure(Enum):
    """What deleting a user's account does to their rows of a declaration."""

    # The rows about the user are deleted.
    DELETE = "delete"
    # The fields in blank_fields are emptied (None, "" or no related rows)
    # and the rows stay, so that anonymous counts such as matches stay right.
    BLANK = "blank"
    # The owning app's service removes the personal data (see
    # civic_portal.privacy.services.DELEGATED_ERASERS).
    DELEGATED = "delegated"
    # The rows stay as they are: data about a group or someone else, or
    # records that hold no personal data once the account is anonymised.
    KEEP = "keep"


@dataclass(frozen=True)
class PersonalDataFile:
    """The personal fields of one model that belong to one kind of data.

    *subject* is the lookup path from the model to the user the data is
    about ("pk" for the user model itself), or "" when the data is about
    someone without an account, such as a group's contact person.
    *erasure* is what deleting that user's account does to the rows, and
    *blank_fields* are the fields that Erasure.BLANK empties.
    """

    model: str
    kind: DataKind
    fields: tuple[str, ...]
    subject: str = ""
    erasure: Erasure = Erasure.KEEP
    blank_fields: tuple[str, ...] = ()

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


ACCOUNT = DataKind(
    key="account",
    title=_("Account: e-mail address and password"),
    purpose=_(
        "To let you log in, to confirm that the address is yours and to send "
        "you mails about your applications. The password is stored only in a "
        "form that cannot be turned back into the password."
    ),
    seen_by=_("You; the portal administrators at the prefecture."),
    retention=_("While the account exists."),
)
PROFILE = DataKind(
    key="profile",
    title=_(
        "Profile: name, name reading, municipality, occupation, preferred language"
    ),
    purpose=_(
        "To tell groups who is applying, to count participation by "
        "municipality and by group of people (for example students) in the "
        "prefecture's yearly reports, which show only totals, and to send "
        "pages and mails in your language."
    ),
    seen_by=_(
        "You; staff of a group you apply to; the portal administrators. If "
        "you are under 18, only staff of a group that accepted you and "
        "support centre staff see your name; others see "
        '"Applicant under 18".'
    ),
    retention=_("While the account exists."),
)
BIRTH_DATE = DataKind(
    key="birth_date",
    title=_("Birth date"),
    purpose=_(
        "To check the minimum age that some activities set, to count young "
        "participants in totals, and, for high-school students, to produce "
        "the evidence of volunteering hours for the high-school volunteer "
        "certification."
    ),
    seen_by=_("You; the portal administrators. Groups do not see your birth date."),
    retention=_("While the account exists."),
)
# NOTE: this kind states the rule for residents' contact details, and the
# staff applicant page must follow it.
CONTACT = DataKind(
    key="contact",
    title=_("Contact details: phone number and e-mail address"),
    purpose=_(
        "So that a group that accepted you for an activity can reach you "
        "about it, for example when the weather changes the plan."
    ),
    seen_by=_(
        "You; staff of a group only after it has accepted you for one of its "
        "activities; the portal administrators. Other groups and visitors "
        "never see them."
    ),
    retention=_("While the account exists."),
)
GUARDIAN_CONSENT = DataKind(
    key="guardian_consent",
    title=_("Parent or guardian agreement (residents under 18)"),
    purpose=_(
        "To know whether a parent or guardian agreed to your use of the "
        "portal, which you must have before you share photos or share your "
        "data with partners and schools: when and how the agreement was "
        "given, who at the support centre recorded it, and each time it "
        "was recorded or withdrawn, with the reason."
    ),
    seen_by=_("You; support centre staff; the portal administrators."),
    retention=_("While the account exists."),
)
INTERESTS = DataKind(
    key="interests",
    title=_("Interests: activity fields and municipalities"),
    purpose=_(
        "To choose the volunteer posts in matching mails, if you ask for "
        "them. You can switch matching mails off on your profile page."
    ),
    seen_by=_("You; the portal administrators. Groups do not see them."),
    retention=_("While the account exists."),
)
APPLICATIONS = DataKind(
    key="applications",
    title=_("Applications and hours"),
    purpose=_(
        "To run the matching between you and the groups, to keep your record "
        "of activities and hours, and to count matches for the prefecture's "
        "indicators, which show only totals."
    ),
    seen_by=_(
        "You; staff of the group whose activity it is; the portal administrators."
    ),
    retention=_(
        "While the account exists, as your volunteering record and the "
        "evidence for certification."
    ),
)
PROBONO_WORKER = DataKind(
    key="probono_worker",
    title=_(
        "Pro bono worker registration: profession, employer, skills, "
        "availability, where you live, fields of interest"
    ),
    purpose=_(
        "To let the programme's concierges propose you to groups that ask for "
        "skilled help, and to count registrants, inside and outside the "
        "prefecture, for the prefecture's indicators, which show only totals."
    ),
    seen_by=_(
        "You; the concierges. A group's staff see your name, profession and "
        "skills when you are proposed to them, and your contact details only "
        "after you accept and only if you agreed to share them. Other workers "
        "never see them."
    ),
    retention=_(
        "Until you delete the registration; an anonymous row stays so that "
        "the count of registrants stays right."
    ),
)
PROBONO_PROJECTS = DataKind(
    key="probono_projects",
    title=_("Pro bono projects: messages, progress notes, hours and evaluations"),
    purpose=_(
        "To run a project between the group, its workers and the concierge, "
        "to estimate the value of the work in the programme's statistics, and "
        "to publish a case study when the group and every worker agree."
    ),
    seen_by=_(
        "The group's staff, the project's workers and the concierges. A "
        "published case study names the group but no worker."
    ),
    retention=_("While the project's records are kept by the programme."),
)
CONSULTATIONS = DataKind(
    key="consultations",
    title=_("Consultations and newsletter subscriptions: name and e-mail address"),
    purpose=_(
        "To answer a consultation you send to a support centre, and to send "
        "the newsletter you subscribed to until you unsubscribe."
    ),
    seen_by=_(
        "The staff of the support centre that answers you; the portal administrators."
    ),
    retention=_(
        "Consultations while the centre keeps its records; a subscription "
        "until you unsubscribe."
    ),
)
LINE = DataKind(
    key="line",
    title=_("LINE notifications: LINE user ID and the messages sent"),
    purpose=_(
        "To send your notifications through LINE instead of e-mail when you "
        "link your LINE account, and to fall back to e-mail when LINE fails."
    ),
    seen_by=_("You; the portal administrators."),
    retention=_(
        "The link until you unlink it or the account is deleted; linking "
        "codes until they are used or expire."
    ),
)
PARTNER_LINKS = DataKind(
    key="partner_links",
    title=_("Links you agreed to: health-points membership number, school and teacher"),
    purpose=_(
        "To report your confirmed volunteering to a points programme you "
        "enrolled in, and to let the teacher you named see your hours for "
        "the high-school volunteer certification."
    ),
    seen_by=_(
        "You; the partner or teacher you agreed to, for the records after "
        "your consent; the portal administrators."
    ),
    retention=_("Until you withdraw your consent."),
)
CAMPAIGNS = DataKind(
    key="campaigns",
    title=_("Campaign participation: summaries, photos and photo credits"),
    purpose=_(
        "To register a group's activities in a campaign, to lend equipment "
        "and to publish the photos that the group agreed to share."
    ),
    seen_by=_(
        "The group's staff and centre staff; visitors see a photo only after "
        "review and only while the group shares it."
    ),
    retention=_("While the campaign's records are kept, until the group withdraws."),
)
GROUP_CONTACTS = DataKind(
    key="group_contacts",
    title=_(
        "Contact persons of groups, partners and posts: name, e-mail "
        "address, phone number"
    ),
    purpose=_(
        "So that residents, centre staff, concierges and facilitators can "
        "reach the person a group or partner named as its contact."
    ),
    seen_by=_(
        "Public contact details: everyone. Other contact details: the "
        "group's staff, centre staff and the portal administrators."
    ),
    retention=_("Until the group or partner changes them."),
)
STAFF_ROLES = DataKind(
    key="staff_roles",
    title=_("Roles: group staff, centre staff, facilitators and their training"),
    purpose=_(
        "To decide who may manage a group, a centre or a collaboration, and "
        "to record the training of facilitators."
    ),
    seen_by=_("The people concerned; centre staff; the portal administrators."),
    retention=_("While the role lasts."),
)
MAIL_RECORDS = DataKind(
    key="mail_records",
    title=_("Records of mails sent to you (not their content)"),
    purpose=_("So that no mail goes out twice."),
    seen_by=_("The portal administrators."),
    retention=_("While the account exists."),
)
PHOTOS = DataKind(
    key="photos",
    title=_("Photos of volunteer posts and activity reports"),
    purpose=_(
        "To show what an activity looks like. Photos may show people; the "
        "group that posts them needs their agreement."
    ),
    seen_by=_("Everyone, once the post or report is published."),
    retention=_("Until the group removes the photo or the post."),
)

# NOTE: nothing purges django-axes' AccessLog on a schedule, so the log of
# log-ins grows until an administrator deletes rows.
LOGIN_SECURITY = DataKind(
    key="login_security",
    title=_(
        "Log-in records: IP address, browser, e-mail address typed and "
        "two-factor device names"
    ),
    purpose=_(
        "To lock out repeated failed log-ins, to protect accounts with a "
        "second factor, and to investigate misuse of an account."
    ),
    seen_by=_("The portal administrators."),
    retention=_(
        "Failed attempts until a successful log-in or the lock-out ends; the "
        "log of log-ins until an administrator deletes it; devices until you "
        "remove them."
    ),
)

ACCESS_LOG = DataKind(
    key="access_log",
    title=_(
        "Log of staff access to your personal data: who viewed or exported "
        "which fields, when and on which page"
    ),
    purpose=_(
        "To find out, after a leak or a misuse, whose personal data was seen "
        "or exported, which fields, by whom and when. The log holds account "
        "numbers and field names, not the data itself."
    ),
    seen_by=_("The portal administrators."),
    retention=_(
        "Five years from the access, also after the account is deleted. The "
        "database rejects changes and deletions, so only its administrator "
        "can remove rows older than that."
    ),
)


REGISTER: tuple[PersonalDataFile, ...] = (
    PersonalDataFile(
        "accounts.User",
        ACCOUNT,
        ("email", "password", "email_confirmed", "last_login", "date_joined"),
        subject="pk",
        erasure=Erasure.DELEGATED,
    ),
    PersonalDataFile(
        "accounts.User",
        PROFILE,
        (
            "full_name",
            "name_kana",
            "municipality",
            "occupation",
            "preferred_language",
            "privacy_consent_at",
            "privacy_notice_version",
        ),
        subject="pk",
        erasure=Erasure.BLANK,
        blank_fields=(
            "full_name",
            "name_kana",
            "municipality",
            "occupation",
        ),
    ),
    PersonalDataFile(
        "accounts.User",
        BIRTH_DATE,
        ("birth_date",),
        subject="pk",
        erasure=Erasure.BLANK,
        blank_fields=("birth_date",),
    ),
    PersonalDataFile(
        "accounts.User",
        CONTACT,
        ("phone",),
        subject="pk",
        erasure=Erasure.BLANK,
        blank_fields=("phone",),
    ),
    PersonalDataFile(
        "accounts.User",
        INTERESTS,
        (
            "interest_fields",
            "interest_municipalities",
            "matching_mail_frequency",
        ),
        subject="pk",
        erasure=Erasure.BLANK,
        blank_fields=("interest_fields", "interest_municipalities"),
    ),
    PersonalDataFile(
        "accounts.User",
        GUARDIAN_CONSENT,
        (
            "guardian_consent_at",
            "guardian_consent_method",
            "guardian_consent_recorded_by",
        ),
        subject="pk",
        erasure=Erasure.BLANK,
        blank_fields=(
            "guardian_consent_at",
            "guardian_consent_method",
            "guardian_consent_recorded_by",
        ),
    ),
    PersonalDataFile(
        "accounts.GuardianConsentChange",
        GUARDIAN_CONSENT,
        ("action", "agreed_on", "method", "reason", "changed_by", "changed_at"),
        subject="user",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile(
        "accounts.SentNotification",
        MAIL_RECORDS,
        ("key", "sent_at"),
        subject="recipient",
    ),
    PersonalDataFile(
        "volunteering.Application",
        APPLICATIONS,
        (
            "post",
            "activity_date",
            "party_size",
            "team_name",
            "message",
            "status",
            "cancel_reason",
            "created_at",
        ),
        subject="applicant",
        erasure=Erasure.BLANK,
        blank_fields=("team_name", "message", "cancel_reason"),
    ),
    PersonalDataFile(
        "volunteering.Attendance",
        APPLICATIONS,
        ("status", "hours", "note", "confirmed_at"),
        subject="application__applicant",
        erasure=Erasure.BLANK,
        blank_fields=("note",),
    ),
    PersonalDataFile(
        "probono.ProbonoWorker",
        PROBONO_WORKER,
        (
            "profession",
            "employer",
            "skills_note",
            "hours_per_month",
            "work_mode",
            "lives_in_prefecture",
            "municipality",
            "home_region",
            "contact_consent_at",
            "status",
            "registered_at",
        ),
        subject="user",
        erasure=Erasure.DELEGATED,
    ),
    PersonalDataFile(
        "probono.WorkerSkill",
        PROBONO_WORKER,
        ("skill", "level", "years"),
        subject="worker__user",
    ),
    PersonalDataFile(
        "probono.ProjectMessage",
        PROBONO_PROJECTS,
        ("request", "body", "created_at"),
        subject="author",
    ),
    PersonalDataFile(
        "probono.ProgressNote",
        PROBONO_PROJECTS,
        ("request", "body", "created_at"),
        subject="author",
    ),
    PersonalDataFile(
        "probono.WorkLog",
        PROBONO_PROJECTS,
        ("request", "skill", "hours", "worked_on"),
        subject="worker__user",
    ),
    PersonalDataFile(
        "probono.Evaluation",
        PROBONO_PROJECTS,
        ("request", "party", "rating", "comment", "created_at"),
        subject="author",
    ),
    PersonalDataFile(
        "probono.Proposal",
        PROBONO_PROJECTS,
        ("request", "message", "status", "reply_note", "replied_at"),
        subject="worker__user",
    ),
    PersonalDataFile(
        "probono.Interest",
        PROBONO_PROJECTS,
        ("request", "note", "created_at"),
        subject="worker__user",
    ),
    PersonalDataFile(
        "probono.CaseStudyConsent",
        PROBONO_PROJECTS,
        ("case_study", "given_at", "withdrawn_at"),
        subject="worker__user",
    ),
    PersonalDataFile(
        "probono.SupportRequest",
        GROUP_CONTACTS,
        ("contact_name", "contact_email", "contact_phone", "hearing_notes"),
    ),
    PersonalDataFile(
        "groups.Consultation",
        CONSULTATIONS,
        (
            "centre",
            "asker_name",
            "channel",
            "topic",
            "question",
            "answer",
            "follow_up",
            "created_at",
        ),
        subject="asker",
        erasure=Erasure.BLANK,
        blank_fields=("asker_name",),
    ),
    PersonalDataFile(
        "groups.NewsletterSubscription",
        CONSULTATIONS,
        ("email", "language", "subscribed_at", "confirmed_at", "unsubscribed_at"),
        subject="user",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile(
        "groups.CivicGroup",
        GROUP_CONTACTS,
        (
            "representative",
            "public_email",
            "public_phone",
            "contact_name",
            "contact_email",
            "contact_phone",
            "postal_code",
            "address",
        ),
    ),
    PersonalDataFile("groups.GroupInvitation", GROUP_CONTACTS, ("email",)),
    PersonalDataFile(
        "groups.GroupMembership",
        STAFF_ROLES,
        ("group", "role", "created_at"),
        subject="user",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile(
        "groups.SupportCentreStaff",
        STAFF_ROLES,
        ("centre", "created_at"),
        subject="user",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile(
        "volunteering.VolunteerPost",
        GROUP_CONTACTS,
        ("contact_name", "contact_email", "contact_phone"),
    ),
    PersonalDataFile("volunteering.PostPhoto", PHOTOS, ("image", "alt_text")),
    PersonalDataFile("volunteering.ReportPhoto", PHOTOS, ("image", "alt_text")),
    PersonalDataFile(
        "facilitation.Partner",
        GROUP_CONTACTS,
        ("contact_name", "contact_email", "contact_phone"),
    ),
    PersonalDataFile(
        "facilitation.Facilitator",
        STAFF_ROLES,
        ("kind", "is_active", "created_at"),
        subject="user",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile(
        "facilitation.TrainingAttendance",
        STAFF_ROLES,
        ("session", "attended"),
        subject="person",
    ),
    PersonalDataFile(
        "facilitation.CourseCompletion",
        STAFF_ROLES,
        ("course", "completed_on"),
        subject="user",
    ),
    PersonalDataFile(
        "notifications.LineLink",
        LINE,
        ("line_user_id", "delivery", "linked_at", "switched_to_mail_at"),
        subject="user",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile(
        "notifications.LineLinkNonce",
        LINE,
        ("line_user_id", "created_at", "expires_at", "used_at"),
        subject="user",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile("notifications.LineLinkToken", LINE, ("line_user_id",)),
    PersonalDataFile(
        "notifications.LineMessage",
        LINE,
        (
            "line_user_id",
            "text",
            "mail_subject",
            "mail_body",
            "mail_to",
            "status",
            "created_at",
        ),
        subject="user",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile(
        "partner_links.ProgrammeEnrolment",
        PARTNER_LINKS,
        ("programme", "membership_id", "consented_at", "withdrawn_at"),
        subject="resident",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile(
        "partner_links.SchoolLink",
        PARTNER_LINKS,
        (
            "school_name",
            "teacher_name",
            "teacher_email",
            "consented_at",
            "withdrawn_at",
        ),
        subject="student",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile(
        "campaigns.Participation",
        CAMPAIGNS,
        ("campaign", "group", "summary", "share_consent_at", "withdrawn_at"),
        subject="user",
    ),
    PersonalDataFile(
        "campaigns.Photo",
        CAMPAIGNS,
        ("image", "caption", "credit", "people", "statement_at", "status"),
        subject="uploaded_by",
    ),
    PersonalDataFile("campaigns.PhotoExport", CAMPAIGNS, ("file",)),
    PersonalDataFile(
        "audit.PersonalDataAccess",
        ACCESS_LOG,
        (
            "accessed_at",
            "actor_id",
            "actor_roles",
            "subject_id",
            "action",
            "fields",
            "view_name",
            "object_ref",
        ),
    ),
    PersonalDataFile(
        "axes.AccessAttempt",
        LOGIN_SECURITY,
        (
            "ip_address",
            "username",
            "user_agent",
            "get_data",
            "post_data",
            "attempt_time",
        ),
    ),
    PersonalDataFile(
        "axes.AccessFailureLog",
        LOGIN_SECURITY,
        ("ip_address", "username", "user_agent", "attempt_time"),
    ),
    PersonalDataFile(
        "axes.AccessLog",
        LOGIN_SECURITY,
        ("ip_address", "username", "user_agent", "attempt_time", "logout_time"),
    ),
    PersonalDataFile(
        "otp_totp.TOTPDevice",
        LOGIN_SECURITY,
        ("name", "confirmed"),
        subject="user",
        erasure=Erasure.DELETE,
    ),
    PersonalDataFile(
        "otp_static.StaticDevice",
        LOGIN_SECURITY,
        ("name", "confirmed"),
        subject="user",
        erasure=Erasure.DELETE,
    ),
)

# Fields that find_personal_fields() flags but that hold no personal data,
# each with the reason, so that a reviewer sees why it is not declared.
REVIEWED_NOT_PERSONAL: dict[str, dict[str, str]] = {
    "groups.CivicGroup": {
        "name": "the name of a group, public in the registry",
        "name_kana": "the reading of a group's name, public in the registry",
        "description": "a group's public description",
        "search_text": "a normalised copy of the group's name and description",
    },
    "groups.GroupChangeRequest": {
        "name": "a group's new name",
        "name_kana": "the reading of a group's new name",
    },
    "groups.SupportCentre": {
        "name": "the name of a support centre",
        "address": "a support centre's public address",
        "phone": "a support centre's public phone number",
        "email": "a support centre's public e-mail address",
        "postal_code": "a support centre's public postal code",
    },
    "volunteering.VolunteerPost": {
        "description": "the public text of a volunteer post",
        "tasks": "the public text of a volunteer post",
        "what_to_bring": "the public text of a volunteer post",
        "search_text": "a normalised copy of the post's public text",
    },
    "probono.SupportRequest": {
        "description": "a group's description of the help it asks for",
        "outcome": "the outcome a group expects",
        "cancel_reason": "why a group or concierge cancelled the request",
    },
    "facilitation.Partner": {
        "note": "staff notes about a partner organisation",
        "search_text": "a normalised copy of the partner's name and staff notes",
    },
    "campaigns.Photo": {
        "rejection_reason": "the reviewer's reason for rejecting a photo",
    },
    "partner_links.PointsProgramme": {
        "name": "the name of a points programme",
    },
    "indicators.WhitePaperExport": {
        "html_file": "the white paper, which shows only totals",
        "pdf_file": "the white paper, which shows only totals",
        "workbook_file": "the white paper's tables, which show only totals",
    },
}

# Field names that hold personal data on any model that refers to a user.
PERSONAL_NAMES = frozenset(
    {
        "name",
        "full_name",
        "name_kana",
        "kana",
        "phone",
        "address",
        "postal_code",
        "birth_date",
        "email",
        "line_user_id",
        "membership_id",
        "ip",
        "ip_address",
        "employer",
        "representative",
        "people",
        "credit",
    }
)
PERSONAL_SUFFIXES = ("_name", "_email", "_phone", "_address", "_ip", "_user_id")


def kinds_in_order() -> list[DataKind]:
    """Return the kinds of data in the order the register first names them."""
    kinds: list[DataKind] = []
    for entry in REGISTER:
        if entry.kind not in kinds:
            kinds.append(entry.kind)
    return kinds


def declared_fields() -> dict[str, set[str]]:
    """Return the declared personal fields by model label."""
    fields: dict[str, set[str]] = {}
    for entry in REGISTER:
        fields.setdefault(entry.model, set()).update(entry.fields)
    return fields


def _refers_to_user(model: type[models.Model]) -> bool:
    user_label = settings.AUTH_USER_MODEL
    if model._meta.label == user_label:
        return True
    return any(
        field.is_relation
        and field.concrete
        and field.related_model is not None
        and field.related_model._meta.label == user_label
        for field in model._meta.get_fields()
    )


def _looks_personal(field: models.Field, *, person_model: bool) -> bool:
    if isinstance(field, models.EmailField | models.GenericIPAddressField):
        return True
    # Uploaded images may show people, and generated files may list them.
    if isinstance(field, models.FileField):
        return True
    personal_name = field.name in PERSONAL_NAMES or field.name.endswith(
        PERSONAL_SUFFIXES
    )
    return person_model and personal_name


def find_personal_fields() -> Iterator[tuple[str, str]]:
    """Yield (model label, field name) for every field that looks personal.

    A field looks personal when it is an e-mail, IP address or file field,
    when its name is a person's name, contact or identifier on a model that
    refers to a user, or when it is free text on a model declared in the
    register (a message or note written by or about a person).
    """
    declared = declared_fields()
    for model in apps.get_models():
        label = model._meta.label
        person_model = _refers_to_user(model)
        for field in model._meta.concrete_fields:
            free_text = label in declared and isinstance(field, models.TextField)
            if free_text or _looks_personal(field, person_model=person_model):
                yield label, field.name
