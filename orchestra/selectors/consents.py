"""Reads of consents: the one answer to "does this member have consent X now?", and each
consent's state for the guardian's and the member's pages.

A member has a consent of a kind when a consent to any published version of that kind's
text stands: it was given and not withdrawn since (ConsentWithdrawal). A trip abroad
needs a guardian's travel consent (GUARDIAN_ONLY_KINDS); the other kinds count whoever
gave them (a guardian, or a member old enough to consent themself). Member.photo_consent
is a copy of has_consent(member, PHOTO) kept by the consent services, for the exports
and the API; it is never set by hand.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from orchestra.models import ConsentAcceptance, ConsentText, ConsentWithdrawal, Member

# Travel consents count only when a guardian gave them: a minor travels abroad with a
# guardian's consent.
GUARDIAN_ONLY_KINDS = frozenset({ConsentText.Kind.TRAVEL})
# The consents that can be withdrawn on their own; the membership consent ends with the
# membership (the guardian asks for deletion).
WITHDRAWABLE = (ConsentText.Kind.PHOTO, ConsentText.Kind.TRAVEL, ConsentText.Kind.MEDICAL)


def standing_consents(kind: str | None = None) -> QuerySet[ConsentAcceptance]:
    """Return the consents given and not withdrawn (of a kind, when given)."""
    queryset = ConsentAcceptance.objects.filter(withdrawal__isnull=True)
    if kind is not None:
        queryset = queryset.filter(text__kind=kind)
        if kind in GUARDIAN_ONLY_KINDS:
            queryset = queryset.filter(capacity=ConsentAcceptance.Capacity.GUARDIAN)
    return queryset


def has_consent(member: Member, kind: str) -> bool:
    """Return True if the member has a consent of this kind now."""
    return standing_consents(kind).filter(member=member).exists()


def members_with_consent(kind: str, members: Iterable[int] | None = None) -> set[int]:
    """Return the ids of the members (of those given, or all) with a consent of this kind
    now, in one query."""
    queryset = standing_consents(kind)
    if members is not None:
        queryset = queryset.filter(member__in=list(members))
    return set(queryset.values_list("member_id", flat=True))


@dataclass
class ConsentState:
    """One kind of consent for one member: the consent standing now (if any), the latest
    withdrawal, and the current text to consent to when none stands."""

    kind: str
    label: str
    standing: ConsentAcceptance | None
    withdrawn: ConsentWithdrawal | None
    current_text: ConsentText | None

    @property
    def given(self) -> bool:
        return self.standing is not None


def with_consent_history(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """Prefetch each member's consents with their withdrawals, newest first."""
    return queryset.prefetch_related(
        Prefetch(
            "consents",
            queryset=ConsentAcceptance.objects.select_related(
                "text", "guardian", "withdrawal", "withdrawal__guardian"
            ).order_by("-accepted_at", "-pk"),
            to_attr="consent_history",
        )
    )


def current_texts_by_kind() -> dict[str, ConsentText]:
    """Return the newest published text of each kind, in one query."""
    newest: dict[str, ConsentText] = {}
    for text in ConsentText.objects.filter(published_at__isnull=False).order_by("kind", "-version"):
        newest.setdefault(text.kind, text)
    return newest


def consent_states(member: Member, texts: dict[str, ConsentText]) -> list[ConsentState]:
    """Return the state of each kind of consent for a member whose consents are
    prefetched with their text and withdrawal (with_consent_history(), or
    orchestra.selectors.guardians.with_guardians_and_consents()); ``texts`` from
    current_texts_by_kind(). No query."""
    history = getattr(member, "consent_history", None)
    if history is None:
        history = list(member.consents.all())
    states = []
    for kind, label in ConsentText.Kind.choices:
        of_kind = [consent for consent in history if consent.text.kind == kind]
        standing = next(
            (
                consent
                for consent in of_kind
                if not hasattr(consent, "withdrawal")
                and (
                    kind not in GUARDIAN_ONLY_KINDS
                    or consent.capacity == ConsentAcceptance.Capacity.GUARDIAN
                )
            ),
            None,
        )
        withdrawals = [consent.withdrawal for consent in of_kind if hasattr(consent, "withdrawal")]
        withdrawn = max(withdrawals, key=lambda w: (w.withdrawn_at, w.pk), default=None)
        if standing is None and not withdrawals and kind not in texts:
            continue
        states.append(
            ConsentState(
                kind=kind,
                label=str(label),
                standing=standing,
                withdrawn=withdrawn,
                current_text=texts.get(kind),
            )
        )
    return states
