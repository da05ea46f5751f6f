"""Printable A4 flyers of a post or an event, with a QR code to its page.

One template renders both the HTML print view and, through WeasyPrint,
the PDF. The QR code is inline SVG and encodes the page's clean absolute
URL (settings.SITE_URL, no tracking parameters), which is the page that
residents open on their phones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from civic_portal.fiscal import JAPAN
from civic_portal.tasks import site_url
from groups.models import CivicGroup, Event
from indicators.services.white_paper import render_pdf
from volunteering.models import VolunteerPost

TEMPLATE = "outreach/flyer.html"
# A flyer fits one A4 page: the summary is cut, and a post lists only
# its next few sessions.
SUMMARY_MAX_CHARS = 400
MAX_SESSIONS = 5


@dataclass(frozen=True)
class Flyer:
    """The content of a flyer, already in the request's language."""

    kind: str
    title: str
    when: list[str]
    place: str
    summary: str
    organiser: str
    organiser_contacts: list[str]
    url: str
    qr_svg: SafeString
    notes: list[str] = field(default_factory=list)


def qr_svg(url: str) -> SafeString:
    """Return a QR code of *url* as inline SVG markup.

    Error correction level M restores up to about 15% of a damaged code,
    which suits paper that gets folded and pinned up.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        image_factory=qrcode.image.svg.SvgPathImage,
        border=4,
    )
    code.add_data(url)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    # The markup comes from the qrcode package and holds only the path of
    # the modules, never text from the data.
    return mark_safe(svg)  # noqa: S308


def post_flyer(post: VolunteerPost) -> Flyer:
    url = site_url("volunteering:post_detail", post.pk)
    if post.is_year_round:
        when = [_("Year-round: choose your day when you apply.")]
    else:
        sessions = list(post.sessions.upcoming().order_by("starts_at", "id"))
        when = [
            time_range(session.starts_at, session.ends_at)
            for session in sessions[:MAX_SESSIONS]
        ]
        if len(sessions) > MAX_SESSIONS:
            when.append(_("More dates on the web page."))
        if not when:
            when = [_("No upcoming dates.")]
    notes = []
    if post.application_deadline:
        deadline = timezone.localtime(post.application_deadline, JAPAN)
        notes.append(
            _("Apply by %(deadline)s (Japan time).")
            % {"deadline": date_format(deadline, "Y-m-d (D) H:i")}
        )
    if post.welcomes_high_school:
        notes.append(_("High-school students are welcome."))
    return Flyer(
        kind=_("Volunteers wanted"),
        title=post.title,
        when=when,
        place=_("Online") if post.is_online else post.place or str(post.municipality),
        summary=Truncator(post.description).chars(SUMMARY_MAX_CHARS),
        organiser=post.group.name,
        organiser_contacts=_group_contacts(post.group),
        url=url,
        qr_svg=qr_svg(url),
        notes=notes,
    )


def event_flyer(event: Event) -> Flyer:
    url = site_url("groups:event_detail", event.pk)
    if event.is_online:
        place = _("Online")
    else:
        place = event.place or str(event.municipality or "")
    notes = []
    if event.fee:
        notes.append(_("Fee: %(fee)s yen") % {"fee": f"{event.fee:,}"})
    else:
        notes.append(_("Free of charge"))
    if event.fee_note:
        notes.append(event.fee_note)
    if event.status == Event.Status.CANCELLED:
        notes.insert(0, _("This event is cancelled."))
    return Flyer(
        kind=_("Event"),
        title=event.title,
        when=[time_range(event.starts_at, event.ends_at)],
        place=place,
        summary=Truncator(event.description).chars(SUMMARY_MAX_CHARS),
        organiser=event.group.name,
        organiser_contacts=_group_contacts(event.group),
        url=url,
        qr_svg=qr_svg(url),
        notes=notes,
    )


def render_flyer_html(flyer: Flyer, *, for_pdf: bool, pdf_url: str = "") -> str:
    """Render *flyer* as a standalone document.

    The PDF carries its stylesheet inline because WeasyPrint fetches
    nothing. The HTML view links it and has a print button instead.
    """
    return render_to_string(
        TEMPLATE, {"flyer": flyer, "for_pdf": for_pdf, "pdf_url": pdf_url}
    )


def render_flyer_pdf(flyer: Flyer) -> bytes:
    return render_pdf(render_flyer_html(flyer, for_pdf=True))


def time_range(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """Return the span in Japan time, with the end's date only if it differs."""
    start = timezone.localtime(starts_at, JAPAN)
    end = timezone.localtime(ends_at, JAPAN)
    start_text = date_format(start, "Y-m-d (D) H:i")
    if start.date() == end.date():
        return f"{start_text}–{date_format(end, 'H:i')}"
    return f"{start_text} – {date_format(end, 'Y-m-d (D) H:i')}"


def _group_contacts(group: CivicGroup) -> list[str]:
    """Return the group's public phone and e-mail, the contacts it publishes."""
    return [contact for contact in (group.public_phone, group.public_email) if contact]
