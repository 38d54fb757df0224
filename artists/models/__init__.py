"""Kunst rett vest: artists and their profiles, calls, applications and the jury, exhibitions
and open studios.

Uploaded images are stored under random names (no filename reaches a juror), with their
EXIF removed and their thumbnail and display sizes made once, by artists.images.
"""

from artists.models.exhibitions import (
    NORWAY_LATITUDE,
    NORWAY_LONGITUDE,
    Exhibition,
    ExhibitionHours,
    Studio,
    StudioHours,
    Work,
    check_in_norway,
)
from artists.models.jury import (
    Application,
    ApplicationImage,
    Call,
    Conflict,
    Criterion,
    Decision,
    DecisionChange,
    Letter,
    LetterTemplate,
    Review,
    ReviewPhase,
    Score,
    weighted_score,
)
from artists.models.profiles import Artist, ArtistImage, Discipline, upload_path

__all__ = [
    "NORWAY_LATITUDE",
    "NORWAY_LONGITUDE",
    "Application",
    "ApplicationImage",
    "Artist",
    "ArtistImage",
    "Call",
    "Conflict",
    "Criterion",
    "Decision",
    "DecisionChange",
    "Discipline",
    "Exhibition",
    "ExhibitionHours",
    "Letter",
    "LetterTemplate",
    "Review",
    "ReviewPhase",
    "Score",
    "Studio",
    "StudioHours",
    "Work",
    "check_in_norway",
    "upload_path",
    "weighted_score",
]
