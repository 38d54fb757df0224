"""Which artists are told when an exhibition or an open-studio weekend changes
(events.notices): those who show in the exhibition, those whose studios open in the
weekend's edition. Registered in ArtistsConfig.ready."""

from django.db.models import Q

from artists.models import Artist, Exhibition
from events.notices import Recipient, register_audience


@register_audience
def artists_audience(event, events):
    shows = Q(pk__in=[])
    for exhibition in Exhibition.objects.filter(event__in=events).select_related("event"):
        if exhibition.role == Exhibition.Role.JOINT:
            shows |= Q(works__edition_id=exhibition.event.period_id)
        elif exhibition.event.venue_id:
            shows |= Q(works__shared_venue_id=exhibition.event.venue_id)
    weekends = [e.period_id for e in events if e.kind == "open_studio_weekend"]
    if weekends:
        shows |= Q(studios__edition_id__in=weekends, studios__hours__isnull=False)
    artists = Artist.objects.filter(shows).select_related("user").distinct().order_by("pk")
    for artist in artists:
        email = artist.email or (artist.user.email if artist.user_id else "")
        if email:
            yield Recipient("artist", email, user=artist.user, language=artist.language)
