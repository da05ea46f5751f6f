"""Pages of the pro bono bank: "my projects" and each request's workspace."""

from django.urls import path

from probono.views import projects

urlpatterns = [
    path("projects/", projects.project_list, name="project_list"),
    path("requests/<int:pk>/project/", projects.workspace, name="project_workspace"),
    path(
        "requests/<int:pk>/project/messages/",
        projects.post_message,
        name="project_message",
    ),
    path(
        "requests/<int:pk>/project/milestones/",
        projects.add_milestone,
        name="project_milestone",
    ),
    path(
        "requests/<int:pk>/project/milestones/<int:milestone_pk>/done/",
        projects.mark_milestone_done,
        name="project_milestone_done",
    ),
    path(
        "requests/<int:pk>/project/notes/",
        projects.add_progress_note,
        name="project_note",
    ),
    path("requests/<int:pk>/project/hours/", projects.log_hours, name="project_hours"),
    path(
        "requests/<int:pk>/project/evaluations/",
        projects.evaluate,
        name="project_evaluation",
    ),
]
