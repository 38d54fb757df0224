"""Erasure requests: a guardian asks for a child's data to be erased, staff complete it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orchestra.models.members import Guardian, Member


class ErasureRequest(models.Model):
    """A request to erase what is stored about a member; open until staff complete it.

    Completing it anonymises the member through the same service as the retention rule;
    the request stays, without its note, as the record that it was done.
    """

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="erasure_requests",
    )
    guardian = models.ForeignKey(
        Guardian,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(completed_at__isnull=True),
                name="orchestra_one_open_erasure_request_per_member",
            )
        ]

    def __str__(self):
        # Ids only: the member is a child.
        return f"#{self.pk} ({self.member_id})"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None
