"""Pages of the worker bank: registration, the worker's own page, concierge list."""

from django.urls import path

from probono.views import workers

urlpatterns = [
    path("workers/register/", workers.register, name="register_worker"),
    path("workers/me/", workers.my_worker, name="my_worker"),
    path("workers/me/edit/", workers.edit, name="edit_worker"),
    path("workers/me/pause/", workers.pause, name="pause_worker"),
    path("workers/me/resume/", workers.resume, name="resume_worker"),
    path("workers/me/delete/", workers.delete, name="delete_worker"),
    path("workers/", workers.worker_list, name="worker_list"),
    path("workers/<int:pk>/", workers.worker_detail, name="worker_detail"),
]
