"""Pages of the pro bono bank: candidates, proposals and workers' interest."""

from django.urls import path

from probono.views import proposals

urlpatterns = [
    path(
        "requests/<int:pk>/candidates/",
        proposals.candidates,
        name="proposal_candidates",
    ),
    path("requests/<int:pk>/propose/", proposals.propose, name="proposal_new"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/accept/", proposals.accept, name="proposal_accept"),
    path("proposals/<int:pk>/decline/", proposals.decline, name="proposal_decline"),
    path("proposals/<int:pk>/withdraw/", proposals.withdraw, name="proposal_withdraw"),
    path("open-requests/", proposals.open_requests, name="open_requests"),
    path(
        "open-requests/<int:pk>/interest/",
        proposals.express_interest,
        name="interest_express",
    ),
    path(
        "open-requests/<int:pk>/interest/withdraw/",
        proposals.withdraw_interest,
        name="interest_withdraw",
    ),
]
