"""Reads about artists' profiles, their galleries and the public directory of an edition."""

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from artists.models import Artist, ArtistImage, Decision, Discipline
from core.roles import is_staff_member
from events.models import Municipality, Period, Programme
from events.selectors import municipalities_valid_on


def artist_of(user) -> Artist | None:
    """Return the artist profile of a login, or None."""
    if user is None or not user.is_authenticated:
        return None
    return Artist.objects.filter(user=user).first()


def may_edit_artist(user, artist: Artist) -> bool:
    """Return True if the user may change the artist's profile: the artist themself or staff."""
    if user is None or not user.is_authenticated:
        return False
    return (artist.user_id is not None and artist.user_id == user.pk) or is_staff_member(user)


def municipality_choices_for(artist: Artist | None) -> QuerySet[Municipality]:
    """Return what a profile may choose: today's municipalities and the ones it already has."""
    today = municipalities_valid_on()
    current = (
        [pk for pk in (artist.home_municipality_id, artist.studio_municipality_id) if pk]
        if artist is not None
        else []
    )
    if not current:
        return today
    return Municipality.objects.filter(Q(pk__in=today.values("pk")) | Q(pk__in=current)).order_by(
        "name", "-valid_from", "pk"
    )


def public_image_queryset() -> QuerySet[ArtistImage]:
    return ArtistImage.objects.filter(is_public=True).order_by("position", "pk")


def artists_with_profile() -> QuerySet[Artist]:
    """Return artists with what a profile shows joined in, in a constant number of queries."""
    return Artist.objects.select_related(
        "home_municipality", "studio_municipality"
    ).prefetch_related(
        Prefetch("disciplines", queryset=Discipline.objects.order_by("position", "slug"))
    )


def public_artist_page(slug: str) -> QuerySet[Artist]:
    """Return the artist of a public page (filter on the slug) with their public images."""
    return (
        artists_with_profile()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch("images", queryset=public_image_queryset(), to_attr="public_images")
        )
    )


def gallery_of(artist: Artist) -> QuerySet[ArtistImage]:
    """Return every image of an artist's gallery, public or not, in the artist's order."""
    return artist.images.order_by("position", "pk")


def images_visible_to(user) -> QuerySet[ArtistImage]:
    """Return the work images a user may see: public ones, their own, or all for staff."""
    images = ArtistImage.objects.select_related("artist").order_by("artist__name", "position", "pk")
    if is_staff_member(user):
        return images
    if user is not None and user.is_authenticated:
        return images.filter(Q(is_public=True) | Q(artist__user=user))
    return images.filter(is_public=True)


def accepted_editions(artist: Artist) -> QuerySet[Period]:
    """Return the editions the artist was accepted to, once the decision was released."""
    return Period.objects.filter(
        call__applications__artist=artist,
        call__applications__decision__outcome=Decision.Outcome.ACCEPTED,
        call__applications__decision__released_at__isnull=False,
    ).order_by("-start")


def art_round_edition(slug: str) -> Period | None:
    """Return the art round's edition with this slug, or None."""
    return (
        Period.objects.filter(programme__kind=Programme.Kind.ART_ROUND, slug=slug)
        .select_related("programme")
        .order_by("-start", "pk")
        .first()
    )


def accepted_artists(edition: Period) -> QuerySet[Artist]:
    """Return the artists accepted to an edition, with released decisions only."""
    return Artist.objects.filter(
        applications__call__period=edition,
        applications__decision__outcome=Decision.Outcome.ACCEPTED,
        applications__decision__released_at__isnull=False,
    )


def directory(
    edition: Period,
    *,
    municipality: Municipality | None = None,
    discipline: Discipline | None = None,
    search: str = "",
) -> QuerySet[Artist]:
    """Return an edition's accepted artists for the public directory, in constant queries.

    Each artist carries ``first_thumbnail``: the thumbnail of their first public image,
    so that the directory shows thumbnails without loading the galleries.
    """
    first_thumbnail = (
        ArtistImage.objects.filter(artist=OuterRef("pk"), is_public=True)
        .order_by("position", "pk")
        .values("thumbnail")[:1]
    )
    artists = (
        artists_with_profile()
        .filter(pk__in=accepted_artists(edition).values("pk"))
        .annotate(first_thumbnail=Subquery(first_thumbnail))
        .order_by("name", "pk")
    )
    if municipality is not None:
        artists = artists.filter(
            Q(home_municipality=municipality) | Q(studio_municipality=municipality)
        )
    if discipline is not None:
        artists = artists.filter(pk__in=discipline.artists.values("pk"))
    if search.strip():
        artists = artists.filter(name__icontains=search.strip())
    return artists


def with_thumbnail_urls(artists) -> list[Artist]:
    """Return the directory's artists as a list, each with ``thumbnail_url`` (or "")."""
    artists = list(artists)
    storage = ArtistImage._meta.get_field("thumbnail").storage
    for artist in artists:
        name = getattr(artist, "first_thumbnail", None)
        if name:
            artist.thumbnail_url = storage.url(name)
        elif artist.portrait_thumbnail:
            artist.thumbnail_url = artist.portrait_thumbnail.url
        else:
            artist.thumbnail_url = ""
    return artists


def directory_municipalities(edition: Period) -> QuerySet[Municipality]:
    """Return the municipalities of an edition's accepted artists (home or studio)."""
    accepted = accepted_artists(edition)
    return Municipality.objects.filter(
        Q(pk__in=accepted.values("home_municipality"))
        | Q(pk__in=accepted.values("studio_municipality"))
    ).order_by("name", "-valid_from", "pk")


def directory_disciplines(edition: Period) -> QuerySet[Discipline]:
    """Return the disciplines of an edition's accepted artists."""
    return (
        Discipline.objects.filter(artists__in=accepted_artists(edition).values("pk"))
        .distinct()
        .order_by("position", "slug")
    )


def municipalities_among(ids: list[int]) -> QuerySet[Municipality]:
    """Return the municipalities of `ids` (from directory_municipalities()), in its order."""
    return Municipality.objects.filter(pk__in=ids).order_by("name", "-valid_from", "pk")


def disciplines_among(ids: list[int]) -> QuerySet[Discipline]:
    """Return the disciplines of `ids` (from directory_disciplines()), in its order."""
    return Discipline.objects.filter(pk__in=ids).order_by("position", "slug")
