"""Reads of the orchestra; each module one area. Who may see which members is decided in
visibility.py (``members_visible_to``) and nowhere else. The modules import each other
from the module that defines a name, never from this package."""

from orchestra.selectors.members import (
    consent_texts_visible_to,
    consents_visible_to,
    current_consent_text,
    guardian_of,
    guardians_visible_to,
    guardians_with_children,
    is_guardian_of,
    is_orchestra_staff,
    latest_status_of,
    member_of,
    member_records_visible_to,
    members_with_details,
    members_with_status,
    with_current_status,
)
from orchestra.selectors.sessions import (
    ATTENDING,
    attends,
    expected_members,
    main_section,
    session_plans,
    sessions_of_members,
)
from orchestra.selectors.visibility import members_visible_to

__all__ = [
    "ATTENDING",
    "attends",
    "consent_texts_visible_to",
    "consents_visible_to",
    "current_consent_text",
    "expected_members",
    "guardian_of",
    "guardians_visible_to",
    "guardians_with_children",
    "is_guardian_of",
    "is_orchestra_staff",
    "latest_status_of",
    "main_section",
    "member_of",
    "member_records_visible_to",
    "members_visible_to",
    "members_with_details",
    "members_with_status",
    "session_plans",
    "sessions_of_members",
    "with_current_status",
]
