"""Which writes change an edition's directory of artists (core.stamps).

Stamps: artists:directory:<edition id>, bumped by writes to the edition's calls, to the
applications and decisions of those calls, and to the artists who applied (their
profiles, images and disciplines); DISCIPLINES, for the names of the disciplines, which
every directory shows. The municipalities are events.stamps MUNICIPALITIES.
"""

from artists.models import Application, Artist, ArtistImage, Call, Decision, Discipline
from core.stamps import forget, register, remembered
from events.models import Period
from events.stamps import MUNICIPALITIES

DISCIPLINES = "artists:disciplines"


def directory_stamp(edition_id: int) -> str:
    return f"artists:directory:{edition_id}"


def directory_stamps(edition: Period) -> list[str]:
    """Return the stamps an edition's directory is read under."""
    return [directory_stamp(edition.pk), DISCIPLINES, MUNICIPALITIES]


def artist_keys(artist_id: int) -> list[str]:
    """Return the directories of the editions an artist applied to (one query a
    transaction: an import writes an artist, then their disciplines)."""
    editions = remembered(
        ("artists:editions", artist_id),
        lambda: list(
            Application.objects.filter(artist_id=artist_id)
            .values_list("call__period_id", flat=True)
            .order_by()
            .distinct()
        ),
    )
    return [directory_stamp(edition) for edition in editions]


def _edition_of_call(call_id: int) -> int | None:
    return remembered(
        ("artists:call", call_id),
        lambda: Call.objects.filter(pk=call_id).values_list("period_id", flat=True).first(),
    )


def call_keys(call: Call) -> list[str]:
    # It may move to another edition: forget the lookups that went through it.
    forget("artists:call", call.pk)
    forget("artists:application")
    forget("artists:editions")
    return [directory_stamp(call.period_id)]


def application_keys(application: Application) -> list[str]:
    forget("artists:editions", application.artist_id)
    forget("artists:application", application.pk)  # it may move to another call
    edition = _edition_of_call(application.call_id)
    return [directory_stamp(edition)] if edition is not None else []


def decision_keys(decision: Decision) -> list[str]:
    """A decision's edition is looked up once a transaction per application."""
    edition = remembered(
        ("artists:application", decision.application_id),
        lambda: (
            Application.objects.filter(pk=decision.application_id)
            .values_list("call__period_id", flat=True)
            .first()
        ),
    )
    return [directory_stamp(edition)] if edition is not None else []


register(Artist, lambda artist: artist_keys(artist.pk))
register(ArtistImage, lambda image: artist_keys(image.artist_id))
register(Application, application_keys, follow_moves=True)
register(Decision, decision_keys)
register(Call, call_keys, follow_moves=True)
register(Artist.disciplines.through, lambda link: artist_keys(link.artist_id))
register(Discipline, lambda discipline: [DISCIPLINES])
