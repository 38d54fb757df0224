"""The orchestra's retention rules and what becomes of each field of its models.

The work is done in orchestra/services/retention.py; this module declares it to the
registry in core/retention.py (imported from OrchestraConfig.ready()).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.retention import (
    MEMBER_ERASURE,
    RetentionRule,
    cleared,
    declare_fields,
    kept,
    register_rule,
)
from orchestra.services import retention as services

DEPARTED_MEMBERS = "orchestra.departed_members"
TOUR_DATA = "orchestra.tour_data"
GUEST_CONTACTS = "orchestra.guest_contacts"

register_rule(
    RetentionRule(
        key=DEPARTED_MEMBERS,
        title=_("Members who left"),
        clears=_(
            "Names, exact birth date, medical notes, school, own login, private calendars, "
            "notes on answers, leaves and status changes, consents, member cards, the names "
            "and contacts on master class places and tickets, trip data of tours, and "
            "guardians with no other child."
        ),
        keeps=_(
            "Birth year, gender, municipality, instruments, groups, status history (dates "
            "and reasons) and attendance statuses, without names: statistics for the "
            "annual report and the grants."
        ),
        setting="ORCHESTRA_RETENTION_MONTHS",
        period=lambda: (
            _("%(months)s months after leaving") % {"months": settings.ORCHESTRA_RETENTION_MONTHS}
        ),
        pending=services.departed_members_pending,
        clear=services.anonymise_pending_members,
    )
)
register_rule(
    RetentionRule(
        key=TOUR_DATA,
        title=_("Tour participants after the tour"),
        clears=_(
            "Medical notes, emergency contacts, dietary needs and passport dates of every "
            "participant; the adults' email, phone and birth date."
        ),
        keeps=_(
            "Who travelled in which role, shares paid (accounting) and the dates police "
            "certificates were seen (child protection)."
        ),
        setting="ORCHESTRA_TOUR_DATA_DAYS",
        period=lambda: (
            _("%(days)s days after the tour's last day")
            % {"days": settings.ORCHESTRA_TOUR_DATA_DAYS}
        ),
        pending=services.tour_data_pending,
        clear=services.clear_tour_data,
    )
)

register_rule(
    RetentionRule(
        key=GUEST_CONTACTS,
        title=_("Visiting ensembles' contact people"),
        clears=_("The contact person's name, email and phone."),
        keeps=_("The ensemble's name and number of players: the concert's records."),
        setting="ORCHESTRA_GUEST_CONTACT_YEARS",
        period=lambda: (
            _("%(years)s years after the concert")
            % {"years": settings.ORCHESTRA_GUEST_CONTACT_YEARS}
        ),
        pending=services.guest_contacts_pending,
        clear=services.clear_guest_contacts,
    )
)

MEMBER = cleared(MEMBER_ERASURE, DEPARTED_MEMBERS)
TRIP = cleared(TOUR_DATA, MEMBER_ERASURE, DEPARTED_MEMBERS)
_STATISTICS = _(
    "Statistics without names: the member is anonymised, what stays is counted for the "
    "annual report and the grants."
)
_AUDIT = _("Audit trail: which staff member did it.")
_ACCESS_LOG = _(
    "The access log of health data: who looked at a child's medical notes or emergency "
    "contacts, and when. It names no child once the member is anonymised."
)

declare_fields("orchestra.Instrument", "id name_nb name_en section position")
declare_fields("orchestra.Group", "id season name slug min_age max_age description")
declare_fields(
    "orchestra.Member",
    "id created_at anonymised_at",
    first_name=MEMBER,
    last_name=MEMBER,
    birth_date=MEMBER,  # down to the year
    origin_name=MEMBER,
    photo_consent=MEMBER,
    medical_notes=MEMBER,
    user=MEMBER,
    gender=kept(_STATISTICS),
    municipality=kept(_STATISTICS),
    origin=kept(_STATISTICS),
    years_played=kept(_STATISTICS),
)
declare_fields(
    "orchestra.MemberInstrument",
    "id instrument is_main years_played",
    member=kept(_STATISTICS),
)
declare_fields("orchestra.Membership", "id group joined_on left_on", member=kept(_STATISTICS))
declare_fields(
    "orchestra.StatusChange",
    "id status since reason recorded_at",
    member=kept(_STATISTICS),
    note=MEMBER,
    recorded_by=MEMBER,
)
declare_fields(
    "orchestra.Guardian",
    "id created_at",
    user=MEMBER,
    first_name=MEMBER,
    last_name=MEMBER,
    email=MEMBER,
    phone=MEMBER,
)
declare_fields("orchestra.Guardianship", "id", member=MEMBER, guardian=MEMBER, relation=MEMBER)
declare_fields("orchestra.ConsentText", "id kind version text_nb text_en published_at created_at")
declare_fields(
    "orchestra.ConsentAcceptance",
    "id text",
    member=MEMBER,
    capacity=MEMBER,
    guardian=MEMBER,
    accepted_by=MEMBER,
    accepted_at=MEMBER,
)
# A withdrawal goes with its consent (on_delete=CASCADE), which a member's erasure deletes.
declare_fields(
    "orchestra.ConsentWithdrawal",
    "id",
    acceptance=MEMBER,
    capacity=MEMBER,
    guardian=MEMBER,
    withdrawn_by=MEMBER,
    withdrawn_at=MEMBER,
)
# The access log names no child: it refers to the member by key, and an anonymised member
# holds no name; its rows stay so staff and guardians can still tell who looked at what.
declare_fields(
    "orchestra.SensitiveDataAccess",
    "id role data channel path accessed_at",
    member=kept(_ACCESS_LOG),
    viewer=kept(_ACCESS_LOG),
)
declare_fields("orchestra.SessionPlan", "id event sections")
declare_fields(
    "orchestra.Attendance",
    "id session reply replied_at status recorded_at checkin",
    member=kept(_STATISTICS),
    reason=kept(_STATISTICS),
    note=MEMBER,
    replied_by=MEMBER,
    recorded_by=MEMBER,
)
declare_fields(
    "orchestra.LeaveOfAbsence",
    "id starts_on ends_on created_at",
    member=kept(_STATISTICS),
    reason=kept(_STATISTICS),
    note=MEMBER,
    created_by=MEMBER,
)
declare_fields("orchestra.MemberCard", "id season issued_at", member=MEMBER, ticket=MEMBER)
declare_fields(
    "orchestra.CalendarToken",
    "id created_at",
    guardian=MEMBER,
    member=MEMBER,
    token_hash=MEMBER,
    last_used_at=MEMBER,
    name=MEMBER,  # "Mum's phone": the owner's own label, cleared with their links
)
declare_fields(
    "orchestra.GuestEnsemble",
    "id event name players",
    contact_name=cleared(GUEST_CONTACTS),
    contact_email=cleared(GUEST_CONTACTS),
    contact_phone=cleared(GUEST_CONTACTS),
)
declare_fields(
    "orchestra.MasterClassSignUp",
    "id event registration updated_at",
    member=kept(_STATISTICS),
    signed_up_by=MEMBER,
)
declare_fields("orchestra.Tour", "id event destination time_zone budget notes")
declare_fields("orchestra.TourCost", "id tour description amount paid_on category")
declare_fields(
    "orchestra.TourParticipant",
    "id tour role added_at",
    member=kept(_STATISTICS),
    name=kept(_("Who travelled with the children, in which role: the tour's records.")),
    email=cleared(TOUR_DATA),
    phone=cleared(TOUR_DATA),
    birth_date=cleared(TOUR_DATA),
    user=MEMBER,
    passport_valid_until=TRIP,
    ehic=kept(_("Whether a health insurance card was seen; no number is stored.")),
    share_paid=kept(_("Accounting: payments are kept for five years (bokføringsloven § 13).")),
    share_amount=kept(_("Accounting: payments are kept for five years (bokføringsloven § 13).")),
    police_certificate_seen_on=kept(
        _("Child protection: that an adult responsible for children showed a police certificate.")
    ),
    emergency_contacts=TRIP,
    dietary_needs=TRIP,
    medical_notes=TRIP,
)
declare_fields(
    "orchestra.ErasureRequest",
    "id requested_at completed_at",
    member=kept(_("The record that a member's data was erased on request, and when.")),
    guardian=MEMBER,
    note=MEMBER,
    completed_by=kept(_AUDIT),
)
