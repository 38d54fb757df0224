"""What people may do in Kunst rett vest (core.policies)."""

from core.policies import STAFF, role
from core.roles import Role

# An artist's own pages: their profile, gallery, applications, studio and sales.
OWN_ARTIST_PAGES = role(
    "artists.own_pages", Role.ARTIST, staff=False, description="An artist's own pages."
)
# The jury's pages: the calls a juror reviews (blind), and staff.
JURY = role("artists.jury", Role.JUROR, description="Jurors and staff.")
# Counting visitors at a place: hosts at their exhibitions, artists at their studios.
COUNT_VISITORS = role(
    "artists.count_visitors",
    Role.VENUE_HOST,
    Role.ARTIST,
    description="Venue hosts, artists and staff count visitors at their own places.",
)
# The round's statistics, posters, decisions and letters.
ART_ROUND_STAFF = STAFF
