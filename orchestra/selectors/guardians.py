"""Reads for the guardians' pages and the staff's list of registrations.

Who may see which member is still decided by members_visible_to(); these functions take
querysets or members that a view has fetched through it (or through guardian_of()).
"""

from datetime import timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from orchestra.models import (
    Attendance,
    ConsentAcceptance,
    ConsentText,
    ErasureRequest,
    Guardianship,
    MasterClassSignUp,
    Member,
    MemberCard,
    Membership,
    StatusChange,
    TourParticipant,
)
from orchestra.selectors.access_log import sensitive_accesses_of
from orchestra.selectors.consents import (
    GUARDIAN_ONLY_KINDS,
    consent_states,
    current_texts_by_kind,
    with_consent_history,
)
from orchestra.selectors.members import members_with_details, members_with_status
from orchestra.selectors.sessions import sessions_of_members
from ticketing.models import Ticket

# Travel consents are signed per tour, on the tour's pages.
GUARDIAN_PAGE_CONSENTS = tuple(
    kind for kind in ConsentText.Kind.values if kind != ConsentText.Kind.TRAVEL
)
UPCOMING_DAYS = 120
UPCOMING_PER_CHILD = 5


def with_guardians_and_consents(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """Join each member's guardians and consents to members_with_details()."""
    return members_with_details(queryset).prefetch_related(
        Prefetch(
            "guardianships",
            queryset=Guardianship.objects.select_related("guardian").order_by("pk"),
            to_attr="guardian_links",
        ),
        Prefetch(
            "consents",
            queryset=ConsentAcceptance.objects.select_related(
                "text", "guardian", "withdrawal"
            ).order_by("-accepted_at", "-pk"),
        ),
    )


def pending_registrations() -> QuerySet[Member]:
    """Return applicants and trial requests not yet in a group, oldest registration first."""
    in_a_group = Membership.objects.filter(left_on__isnull=True).values("member_id")
    pending = members_with_status((StatusChange.Status.APPLICANT, StatusChange.Status.TRIAL))
    return (
        with_guardians_and_consents(pending.exclude(pk__in=in_a_group))
        .filter(anonymised_at__isnull=True)
        .order_by("status_since", "pk")
    )


def current_consent_texts(kinds=GUARDIAN_PAGE_CONSENTS) -> list[ConsentText]:
    """Return the newest published text of each kind, in one query."""
    newest: dict[str, ConsentText] = {}
    texts = ConsentText.objects.filter(kind__in=kinds, published_at__isnull=False).order_by(
        "kind", "-version"
    )
    for text in texts:
        newest.setdefault(text.kind, text)
    return [newest[kind] for kind in kinds if kind in newest]


def children_overview(guardian, *, now=None) -> list[dict]:
    """Return the guardian's children with what the "My children" page shows.

    Each item: the member (instruments, memberships, status, guardians, consents
    prefetched), the next sessions, the current consent texts not yet given for them.
    A fixed number of queries, whatever the number of children.
    """
    now = now or timezone.now()
    children = list(
        with_guardians_and_consents(
            Member.objects.filter(guardianships__guardian=guardian, anonymised_at__isnull=True)
        )
        .prefetch_related(
            Prefetch(
                "erasure_requests",
                queryset=ErasureRequest.objects.filter(completed_at__isnull=True),
                to_attr="open_erasure_requests",
            )
        )
        .order_by("birth_date", "pk")
    )
    sessions = sessions_of_members(children, start=now, end=now + timedelta(days=UPCOMING_DAYS))
    texts = current_consent_texts()
    # Travel consents are given per trip on the trip's page; here they can be withdrawn.
    givable = {text.kind: text for text in texts}
    seen = sensitive_accesses_of([child.pk for child in children])
    overview = []
    for child in children:
        states = consent_states(child, givable)
        standing = {state.standing.text_id for state in states if state.given}
        overview.append(
            {
                "member": child,
                "sessions": sessions.get(child.pk, [])[:UPCOMING_PER_CHILD],
                "consent_states": states,
                "missing_consents": [text for text in texts if text.pk not in standing],
                "health_data_seen": seen.get(child.pk, []),
                "erasure_requested": next(iter(child.open_erasure_requests), None),
                "current_memberships": [
                    membership
                    for membership in child.memberships.all()
                    if membership.is_current_on(timezone.localdate())
                ],
            }
        )
    return overview


def member_export(member: Member) -> dict:
    """Return everything stored about a member, as JSON-ready data (the right of access)."""
    member = (
        with_guardians_and_consents(Member.objects.filter(pk=member.pk))
        .select_related("user")
        .prefetch_related(
            "calendar_tokens",
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.order_by("since", "recorded_at", "pk"),
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("session").order_by(
                    "session__start", "pk"
                ),
            ),
            "leaves",
            Prefetch(
                "tour_participations",
                queryset=TourParticipant.objects.select_related("tour__event").order_by(
                    "tour__event__start", "pk"
                ),
            ),
            Prefetch(
                "master_class_sign_ups",
                queryset=MasterClassSignUp.objects.select_related("event", "registration").order_by(
                    "event__start", "pk"
                ),
            ),
            Prefetch(
                "cards",
                queryset=MemberCard.objects.select_related("season", "ticket").order_by(
                    "issued_at", "pk"
                ),
            ),
            Prefetch("erasure_requests", queryset=ErasureRequest.objects.order_by("pk")),
        )
        .get()
    )
    # The tickets of the member's cards and master class places: they carry the name.
    tickets = (
        Ticket.objects.filter(
            Q(member_card__member=member) | Q(registration__orchestra_sign_up__member=member)
        )
        .select_related("registration__event", "offer")
        .order_by("created_at", "pk")
        .distinct()
    )

    def day(value):
        return value.isoformat() if value else None

    return {
        "member": {
            "id": member.pk,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "birth_date": day(member.birth_date),
            "gender": member.gender,
            "municipality": {
                "id": member.municipality_id,
                "name": member.municipality.name,
                "number": member.municipality.number,
            },
            "origin": member.origin,
            "origin_name": member.origin_name,
            "years_played": member.years_played,
            "photo_consent": member.photo_consent,
            "medical_notes": member.medical_notes,
            "created_at": day(member.created_at),
            "anonymised_at": day(member.anonymised_at),
            "current_status": member.current_status,
            "own_login": (
                {
                    "username": member.user.username,
                    "email": member.user.email,
                    "last_login": day(member.user.last_login),
                }
                if member.user
                else None
            ),
            "private_calendars": [
                {
                    "name": token.name,
                    "created_at": day(token.created_at),
                    "last_used_at": day(token.last_used_at),
                }
                for token in member.calendar_tokens.all()
            ],
        },
        "instruments": [
            {
                "instrument": played.instrument.name,
                "section": played.instrument.section,
                "is_main": played.is_main,
                "years_played": played.years_played,
            }
            for played in member.member_instruments.all()
        ],
        "memberships": [
            {
                "group": membership.group.name,
                "season": membership.group.season.name,
                "joined_on": day(membership.joined_on),
                "left_on": day(membership.left_on),
            }
            for membership in member.memberships.all()
        ],
        "status_history": [
            {
                "status": change.status,
                "since": day(change.since),
                "reason": change.reason,
                "note": change.note,
                "recorded_at": day(change.recorded_at),
            }
            for change in member.status_changes.all()
        ],
        "guardians": [
            {
                "first_name": link.guardian.first_name,
                "last_name": link.guardian.last_name,
                "email": link.guardian.email,
                "phone": link.guardian.phone,
                "relation": link.relation,
            }
            for link in member.guardian_links
        ],
        "consents": [
            {
                "kind": consent.text.kind,
                "version": consent.text.version,
                "text": consent.text.text_nb,
                "text_en": consent.text.text_en,
                "given_by": consent.capacity,
                "guardian": (
                    f"{consent.guardian.first_name} {consent.guardian.last_name}"
                    if consent.guardian
                    else None
                ),
                "accepted_at": day(consent.accepted_at),
                "withdrawn_at": day(withdrawal.withdrawn_at) if withdrawal else None,
                "withdrawn_by": withdrawal.capacity if withdrawal else None,
            }
            for consent in member.consents.all()
            for withdrawal in [getattr(consent, "withdrawal", None)]
        ],
        # Who looked at the child's health data (the access log), all of it.
        "health_data_seen": [
            {
                "role": access.role,
                "viewer": access.viewer.get_full_name() or access.viewer.username
                if access.viewer
                else None,
                "data": access.data,
                "channel": access.channel,
                "path": access.path,
                "accessed_at": day(access.accessed_at),
            }
            for access in member.sensitive_data_accesses.select_related("viewer").order_by(
                "accessed_at", "pk"
            )
        ],
        "attendance": [
            {
                "session": attendance.session.title,
                "start": day(attendance.session.start),
                "reply": attendance.reply,
                "reason": attendance.reason,
                "note": attendance.note,
                "replied_at": day(attendance.replied_at),
                "status": attendance.status,
                "recorded_at": day(attendance.recorded_at),
            }
            for attendance in member.attendances.all()
        ],
        "leaves_of_absence": [
            {
                "from": day(leave.starts_on),
                "to": day(leave.ends_on),
                "reason": leave.reason,
                "note": leave.note,
                "created_at": day(leave.created_at),
            }
            for leave in member.leaves.all()
        ],
        "tours": [
            {
                "tour": participant.tour.event.title_nb,
                "destination": participant.tour.destination,
                "start": day(participant.tour.event.start),
                "end": day(participant.tour.event.end),
                "role": participant.role,
                "passport_valid_until": day(participant.passport_valid_until),
                "ehic": participant.ehic,
                "share_paid": participant.share_paid,
                "share_amount": participant.share_amount,
                "emergency_contacts": participant.emergency_contacts,
                "dietary_needs": participant.dietary_needs,
                "medical_notes": participant.medical_notes,
                "added_at": day(participant.added_at),
            }
            for participant in member.tour_participations.all()
        ],
        "master_classes": [
            {
                "master_class": sign_up.event.title_nb,
                "start": day(sign_up.event.start),
                "registration": sign_up.registration.code,
                "state": sign_up.registration.state,
                "contact_name": sign_up.registration.name,
                "contact_email": sign_up.registration.email,
                "contact_phone": sign_up.registration.phone,
                "registered_at": day(sign_up.registration.created_at),
            }
            for sign_up in member.master_class_sign_ups.all()
        ],
        "member_cards": [
            {
                "season": card.season.name,
                "issued_at": day(card.issued_at),
                "valid": not card.ticket.is_cancelled,
            }
            for card in member.cards.all()
        ],
        "tickets": [
            {
                "event": ticket.registration.event.title_nb,
                "start": day(ticket.registration.event.start),
                "offer": ticket.offer.name_nb,
                "attendee_name": ticket.attendee_name,
                "price": ticket.price,
                "cancelled_at": day(ticket.cancelled_at),
                "created_at": day(ticket.created_at),
            }
            for ticket in tickets
        ],
        "erasure_requests": [
            {
                "note": erasure.note,
                "requested_at": day(erasure.requested_at),
                "completed_at": day(erasure.completed_at),
            }
            for erasure in member.erasure_requests.all()
        ],
    }


def own_consent_states(member: Member) -> list:
    """Return the state of each kind of consent for a member's own consent page."""
    member = with_consent_history(Member.objects.filter(pk=member.pk)).get()
    # A trip's travel consent is a guardian's to give (GUARDIAN_ONLY_KINDS); the member
    # may still withdraw it.
    texts = {
        kind: text
        for kind, text in current_texts_by_kind().items()
        if kind not in GUARDIAN_ONLY_KINDS
    }
    return consent_states(member, texts)
