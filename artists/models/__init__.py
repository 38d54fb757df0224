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
    new_short_code,
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
from artists.models.visits import (
    ArtSale,
    QrVisit,
    ReportedFigures,
    TallyCorrection,
    TallyReminder,
    VisitTally,
)

__all__ = [
    "new_short_code",
    "VisitTally",
    "TallyReminder",
    "TallyCorrection",
    "ReportedFigures",
    "QrVisit",
    "ArtSale",
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
