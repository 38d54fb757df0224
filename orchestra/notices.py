"""Who in the orchestra is told when a session, weekend or concert changes
(events.notices): the guardians of the members it expects, those members who have their
own login, and its tutors. Registered in OrchestraConfig.ready."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from events.notices import Recipient, register_audience
from orchestra.models import Guardian, SessionPlan
from orchestra.selectors.sessions import expected_members


@register_audience
def orchestra_audience(event, events):
    plans = SessionPlan.objects.filter(event__in=events).select_related("event")
    plans = plans.prefetch_related("groups", "tutors")
    today = timezone.localdate()
    members = {}
    for plan in plans:
        for tutor in plan.tutors.all():
            if tutor.email:
                yield Recipient("tutor", tutor.email, user=tutor)
        for member in expected_members(plan):
            members[member.pk] = member
    guardians = (
        Guardian.objects.filter(guardianships__member__in=list(members))
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    for guardian in guardians:
        yield Recipient("guardian", guardian.email, user=guardian.user)
    # Members old enough for their own login are told themselves too.
    own = [m.user_id for m in members.values() if m.user_id and m.may_have_own_login_on(today)]
    for user in get_user_model().objects.filter(pk__in=own).exclude(email="").order_by("pk"):
        yield Recipient("member", user.email, user=user)
