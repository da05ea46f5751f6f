"""Pages anyone can open: the home page, the search and a post's page."""

from __future__ import annotations

import logging
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.generic import TemplateView

from civic_portal.security.ratelimit import rate_limit
from volunteering import search_cache, selectors
from volunteering.forms_resident import ApplyForm
from volunteering.models import VolunteerPost

logger = logging.getLogger(__name__)

HOME_POST_COUNT = 5


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["upcoming_posts"] = selectors.upcoming_public_posts(HOME_POST_COUNT)
        return context


@rate_limit("search", methods=("GET",))
def search(request: HttpRequest) -> HttpResponse:
    """List published posts that match the filters in the query string.

    The content block is cached by volunteering.search_cache, so a repeated
    search runs no query. The cache key is made before any data is read.
    """
    key = search_cache.make_key("page", request.GET, get_language())
    content = search_cache.cached(key)
    status = 200
    if content is None:
        content, status = _render_search_content(request)
        if status == 200:
            search_cache.store(key, content)
    return render(
        request,
        "volunteering/public/search.html",
        {"content": content},
        status=status,
    )


def _render_search_content(request: HttpRequest) -> tuple[str, int]:
    post_filter = selectors.post_search(request.GET)
    form = post_filter.form
    if form.is_valid():
        posts = selectors.annotate_next_session(post_filter.qs, form.cleaned_data)
        page = Paginator(posts, selectors.SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    else:
        # Invalid filters would silently widen the search, so show none.
        logger.info("Search rejected filters: %s", sorted(form.errors))
        page = None
    filtered = any(value for key, value in request.GET.items() if key != "page")
    # The filters other than the keyword are folded away unless one is set
    # or has an error.
    more_filters_set = any(
        request.GET.get(name) or form.errors.get(name)
        for name in form.fields
        if name != "q"
    )
    content = render_to_string(
        "volunteering/public/search_content.html",
        {
            "form": form,
            "page": page,
            "filtered": filtered,
            "more_filters_set": more_filters_set,
        },
        request=request,
    )
    return content, 200 if page is not None else 400


def render_post_page(
    request: HttpRequest,
    post: VolunteerPost,
    *,
    bound_form: ApplyForm | None = None,
    bound_session_id: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the post page; *bound_form* replaces the form that was sent.

    *bound_session_id* names the session whose form was sent, or is None
    for the date form of a year-round post.
    """
    applied = selectors.active_applications_to_post(request.user, post)
    applied_session_ids = {a.session_id for a in applied if a.session_id}
    shown_bound_form = False
    session_forms = []
    for session in selectors.upcoming_sessions(post):
        form = ApplyForm(post=post, prefix=f"session-{session.pk}")
        if bound_form is not None and bound_session_id == session.pk:
            form = bound_form
            shown_bound_form = session.pk not in applied_session_ids
        session_forms.append((session, form))
    day_form = None
    if post.is_year_round:
        day_form = ApplyForm(post=post, prefix="day")
        if bound_form is not None and bound_session_id is None:
            day_form = bound_form
            shown_bound_form = True
    # A closed post stays readable for its applicants, so it gets a closed
    # notice rather than the staff-only preview notice.
    is_closed = post.status == VolunteerPost.Status.CLOSED
    is_preview = not is_closed and not selectors.is_public(post)
    # Forms are shown only where sending them can succeed, so anonymous
    # visitors get log-in and sign-up links instead.
    can_apply = (
        request.user.is_authenticated
        and not is_preview
        and not is_closed
        and post.is_open_for_applications
    )
    # A session that has started or was applied to has no form on the page,
    # and no form is shown once applying cannot succeed, so those errors go
    # to the top of the section instead.
    unplaced_errors: list[str] = []
    if bound_form is not None and not (shown_bound_form and can_apply):
        unplaced_errors = [str(error) for error in bound_form.non_field_errors()]
    back_to_post = urlencode(
        {"next": reverse("volunteering:post_detail", args=[post.pk])}
    )
    context = {
        "post": post,
        "session_forms": session_forms,
        "day_form": day_form,
        "applied_session_ids": applied_session_ids,
        "applied_days": [a for a in applied if a.session_id is None],
        "is_preview": is_preview,
        "is_closed": is_closed,
        "unplaced_errors": unplaced_errors,
        # The prefix of the sent form, whose action's fragment names the
        # error summary, so the page opens at these errors.
        "unplaced_errors_prefix": bound_form.prefix if bound_form else "",
        "can_apply": can_apply,
        "apply_login_url": f"{reverse('accounts:login')}?{back_to_post}",
    }
    return render(
        request, "volunteering/public/post_detail.html", context, status=status
    )


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a post to those who may read it, or a preview to its group's staff."""
    post = selectors.post_for_viewer(request.user, pk)
    return render_post_page(request, post)
