"""The access log of sensitive data: who saw a child's medical notes or emergency
contacts, when, which child, what, and by which path.

Rows are written by ``orchestra.services.access_log.record_sensitive_access()`` only, one
insert per page view or export. A row refers to the member by key and never holds the
child's name. When a member is anonymised the rows are kept: they then name no one (the
member row holds no name any more), and they still tell staff who looked at what.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orchestra.models.members import Member


class SensitiveDataAccess(models.Model):
    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        TOUR_LEADER = "tour_leader", _("Tour leader")
        GUARDIAN = "guardian", _("Guardian")
        MEMBER = "member", _("The member themself")

    class Data(models.TextChoices):
        MEDICAL_NOTES = "medical_notes", _("Medical and allergy notes")
        TRIP_MEDICAL_NOTES = "trip_medical_notes", _("Medical notes for a trip")
        EMERGENCY_CONTACTS = "emergency_contacts", _("Emergency contacts")
        QUESTION_ANSWERS = "question_answers", _("Health-data answers to own questions")

    class Channel(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")
        ADMIN = "admin", _("Admin")
        EXPORT = "export", _("Export")

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="sensitive_data_accesses",
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    data = models.JSONField(_("what was seen"), default=list)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    path = models.CharField(_("path"), max_length=500)
    accessed_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("access to sensitive data")
        verbose_name_plural = _("access log of sensitive data")
        ordering = ["-accessed_at", "-pk"]
        indexes = [models.Index(fields=["member", "-accessed_at"], name="orchestra_access_member")]

    def __str__(self):
        return f"{self.get_role_display()} #{self.viewer_id} → member #{self.member_id}"

    def data_labels(self) -> list[str]:
        labels = dict(self.Data.choices)
        return [str(labels.get(code, code)) for code in self.data]
