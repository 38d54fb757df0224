"""The youth symphony: members, guardians, groups, instruments and consents (members), and
who attends what, with absence, leaves and private calendars (rehearsals).

Members are children: their personal data is read through
``orchestra.selectors.members_visible_to(user)``, never straight from these models in a view.
"""

from orchestra.models.access import SensitiveDataAccess
from orchestra.models.erasure import ErasureRequest
from orchestra.models.members import (
    ConsentAcceptance,
    ConsentText,
    ConsentWithdrawal,
    Group,
    Guardian,
    Guardianship,
    Instrument,
    Member,
    MemberInstrument,
    Membership,
    Section,
    StatusChange,
)
from orchestra.models.rehearsals import (
    AbsenceReason,
    Attendance,
    CalendarToken,
    GuestEnsemble,
    LeaveOfAbsence,
    MasterClassSignUp,
    MemberCard,
    SessionPlan,
    hash_calendar_token,
)
from orchestra.models.tours import Tour, TourCost, TourParticipant

__all__ = [
    "AbsenceReason",
    "Attendance",
    "CalendarToken",
    "ConsentAcceptance",
    "ConsentText",
    "ErasureRequest",
    "ConsentWithdrawal",
    "Group",
    "Guardian",
    "Guardianship",
    "GuestEnsemble",
    "Instrument",
    "LeaveOfAbsence",
    "MasterClassSignUp",
    "Member",
    "MemberCard",
    "MemberInstrument",
    "Membership",
    "Section",
    "SensitiveDataAccess",
    "SessionPlan",
    "StatusChange",
    "Tour",
    "TourCost",
    "TourParticipant",
    "hash_calendar_token",
]
