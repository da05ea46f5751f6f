"""A high-school student's consent to share their hours record with a teacher."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SchoolLink(models.Model):
    """A student's school and teacher contact, and their consent to share.

    The teacher sees the student's confirmed hours record after signing in
    with a confirmed account whose address is `teacher_email`, until the
    student withdraws. A student names one school at a time. One teacher
    may be named by many students.
    """

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="school_links",
        verbose_name=_("student"),
    )
    school_name = models.CharField(_("school name"), max_length=200)
    teacher_name = models.CharField(_("teacher's name"), max_length=100)
    teacher_email = models.EmailField(_("teacher's e-mail address"))
    consented_at = models.DateTimeField(_("consent given at"))
    withdrawn_at = models.DateTimeField(
        _("consent withdrawn at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("school link")
        verbose_name_plural = _("school links")
        ordering = ["-consented_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_consenting_school_link_per_student",
            ),
        ]
        indexes = [models.Index(fields=["teacher_email", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.school_name}: {self.student_id}"

    @property
    def is_consenting(self) -> bool:
        return self.withdrawn_at is None
