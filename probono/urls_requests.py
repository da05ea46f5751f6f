from django.urls import path

from probono.views import board, requests

urlpatterns = [
    path("board/", board.board, name="board"),
    path("requests/", requests.request_list, name="request_list"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path(
        "requests/<int:pk>/transition/",
        requests.request_transition,
        name="request_transition",
    ),
    path(
        "requests/<int:pk>/hearing/", requests.request_hearing, name="request_hearing"
    ),
]
