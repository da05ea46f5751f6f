"""Celery tasks that ask a case study's parties for consent and tell the concierge."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db.models import Q

from civic_portal.accounts.models import User
from civic_portal.mail import send_mail_once
from civic_portal.tasks import RETRY_OPTIONS, site_url
from probono.models import CaseStudy
from probono.permissions import CONCIERGE_GROUP
from probono.services import case_studies as case_study_services

logger = logging.getLogger(__name__)

CONSENT_REQUEST_TEMPLATE = "mail/probono/case_study_consent_request"
CONSENTS_COMPLETE_TEMPLATE = "mail/probono/case_study_consents_complete"


def _case_study(case_study_id: int) -> CaseStudy | None:
    case_study = (
        CaseStudy.objects.select_related("request__group", "request__concierge")
        .filter(pk=case_study_id)
        .first()
    )
    if case_study is None:
        logger.warning("Case study %s not found, so no mail was sent", case_study_id)
    return case_study


@shared_task(**RETRY_OPTIONS)
def ask_for_case_study_consent(case_study_id: int, revision: str) -> int:
    """Ask the group's staff and the team members to consent to a draft.

    *revision* names the version of the text, so each person gets one mail
    per version, also when the task is retried. Returns the number of
    mails sent now.
    """
    case_study = _case_study(case_study_id)
    if case_study is None:
        return 0
    request = case_study.request
    team_user_ids = case_study_services.team_members(request).values("user_id")
    recipients = (
        User.objects.filter(
            Q(group_memberships__group=request.group) | Q(pk__in=team_user_ids),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    context: dict[str, Any] = {
        "case_study": case_study,
        "group": request.group,
        "consent_url": site_url("probono:case_study_consent", case_study.pk),
    }
    sent = 0
    for recipient in recipients:
        sent += send_mail_once(
            key=(
                f"probono.case_study.consent_request:{case_study.pk}:{revision}"
                f":user:{recipient.pk}"
            ),
            recipient=recipient,
            template_prefix=CONSENT_REQUEST_TEMPLATE,
            context={**context, "recipient_name": recipient.get_short_name()},
        )
    logger.info("Case study %s: %s consent requests sent", case_study.pk, sent)
    return sent


def _concierges_of(case_study: CaseStudy) -> list[User]:
    for user in (case_study.request.concierge, case_study.created_by):
        if user is not None and user.is_active:
            return [user]
    return list(
        User.objects.filter(groups__name=CONCIERGE_GROUP, is_active=True).order_by("pk")
    )


@shared_task(**RETRY_OPTIONS)
def tell_consents_complete(case_study_id: int, key: str) -> int:
    """Tell the concierge that every party has consented to a case study.

    The mail goes to the request's concierge, else the case study's author,
    else every concierge. *key* names the consent that completed the set.
    Nothing is sent when a consent was withdrawn before the task ran.
    Returns the number of mails sent now.
    """
    case_study = _case_study(case_study_id)
    if case_study is None:
        return 0
    if case_study_services.missing_parties(case_study):
        logger.info(
            "Case study %s lacks a consent again, so no mail was sent", case_study.pk
        )
        return 0
    context: dict[str, Any] = {
        "case_study": case_study,
        "group": case_study.request.group,
        "manage_url": site_url("probono:case_study_manage", case_study.pk),
    }
    sent = 0
    for recipient in _concierges_of(case_study):
        sent += send_mail_once(
            key=f"probono.case_study.consents_complete:{case_study.pk}:{key}"
            f":user:{recipient.pk}",
            recipient=recipient,
            template_prefix=CONSENTS_COMPLETE_TEMPLATE,
            context={**context, "recipient_name": recipient.get_short_name()},
        )
    logger.info("Case study %s has every consent: %s mails sent", case_study.pk, sent)
    return sent
