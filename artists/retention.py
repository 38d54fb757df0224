"""Kunst rett vest's retention rules and what becomes of each field of its models.

The work is done in artists/services/retention.py; this module declares it to the
registry in core/retention.py (imported from ArtistsConfig.ready()).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from artists.services import retention as services
from core.retention import RetentionRule, cleared, declare_fields, kept, register_rule

REJECTED_APPLICATIONS = "artists.rejected_applications"
INACTIVE_ARTISTS = "artists.inactive_artists"

register_rule(
    RetentionRule(
        key=REJECTED_APPLICATIONS,
        title=_("Rejected and withdrawn applications"),
        clears=_(
            "The statement, CV and previous exhibitions, the links to the work images, the "
            "letters' address and text, the jurors' comments and reasons for standing aside."
        ),
        keeps=_(
            "That the artist applied, the scores and the decision with its history: the "
            "call's record. The images stay in the artist's own gallery."
        ),
        setting="ARTISTS_REJECTED_APPLICATION_MONTHS",
        period=lambda: (
            _("%(months)s months after the rejection was sent")
            % {"months": settings.ARTISTS_REJECTED_APPLICATION_MONTHS}
        ),
        pending=services.rejected_applications_pending,
        clear=services.clear_rejected_applications,
    )
)
register_rule(
    RetentionRule(
        key=INACTIVE_ARTISTS,
        title=_("Artists who have not applied again"),
        clears=_("The login (unless it holds another role), private email and phone."),
        keeps=_(
            "The public profile and works: the published catalogue of the editions the "
            "artist took part in."
        ),
        setting="ARTISTS_INACTIVE_YEARS",
        period=lambda: (
            _("%(years)s years after the last application or login")
            % {"years": settings.ARTISTS_INACTIVE_YEARS}
        ),
        pending=services.inactive_artists_pending,
        clear=services.clear_inactive_artists,
    )
)

_CATALOGUE = _("The published catalogue of the editions the artist took part in.")
_STATISTICS = _("Statistics of the programme: where artists live and work.")
_CALL_RECORD = _("The call's record: who applied, and the decision.")
_AUDIT = _("Audit trail: which staff member or juror did it.")
_ACCOUNTING = _("Accounting: sales are kept for five years (bokføringsloven § 13).")
REJECTED = cleared(REJECTED_APPLICATIONS)
INACTIVE = cleared(INACTIVE_ARTISTS)

declare_fields("artists.Discipline", "id slug name_nb name_en position")
declare_fields(
    "artists.Artist",
    "id language is_professional created_at updated_at",
    user=INACTIVE,
    email=INACTIVE,
    phone=INACTIVE,
    name=kept(_CATALOGUE),
    slug=kept(_CATALOGUE),
    bio_nb=kept(_CATALOGUE),
    bio_en=kept(_CATALOGUE),
    statement_nb=kept(_CATALOGUE),
    statement_en=kept(_CATALOGUE),
    website=kept(_CATALOGUE),
    instagram=kept(_CATALOGUE),
    portrait=kept(_CATALOGUE),
    portrait_thumbnail=kept(_CATALOGUE),
    home_municipality=kept(_STATISTICS),
    studio_municipality=kept(_STATISTICS),
)
declare_fields(
    "artists.ArtistImage",
    "id artist image display thumbnail width height title year technique dimensions is_public"
    " position created_at",
)
declare_fields("artists.Exhibition", "id event role host_municipality code")
declare_fields("artists.ExhibitionHours", "id exhibition date opens closes")
declare_fields(
    "artists.Work",
    "id artist edition title year technique dimensions image display thumbnail for_sale price"
    " project_room shared_venue created_at updated_at",
)
declare_fields("artists.Studio", "id edition venue number is_published code step_free")
declare_fields("artists.StudioHours", "id studio date opens closes")
declare_fields(
    "artists.Call",
    "id period opens_at closes_at introduction_nb introduction_en requires_professional"
    " min_images max_images invitation_only feedback_to_applicants",
)
declare_fields("artists.ReviewPhase", "id call kind starts_at ends_at names_visible other_scores")
declare_fields(
    "artists.Criterion",
    "id call name_nb name_en description_nb description_en weight scale lowest highest position",
)
declare_fields(
    "artists.Application",
    "id call state shuffle_key created_at updated_at submitted_at withdrawn_at",
    artist=kept(_CALL_RECORD),
    statement=REJECTED,
    cv=REJECTED,
    previous_exhibitions=REJECTED,
)
declare_fields(
    "artists.ApplicationImage",
    "id application position",
    image=REJECTED,
    # The jury's copies of the image go with the row (a post_delete receiver).
    review_display=REJECTED,
    review_thumbnail=REJECTED,
)
declare_fields(
    "artists.Conflict",
    "id application source created_at",
    juror=kept(_AUDIT),
    reason=REJECTED,
)
declare_fields(
    "artists.Review",
    "id application comment_shareable weighted_score is_complete created_at updated_at",
    juror=kept(_AUDIT),
    comment=REJECTED,
)
declare_fields("artists.Score", "id review criterion value")
declare_fields(
    "artists.Decision",
    "id application outcome released_at updated_at",
    decided_by=kept(_AUDIT),
)
declare_fields(
    "artists.DecisionChange",
    "id decision from_outcome to_outcome note changed_at",
    changed_by=kept(_AUDIT),
)
declare_fields("artists.LetterTemplate", "id call outcome language subject body")
declare_fields(
    "artists.Letter",
    "id application subject created_at sent_at",
    to_email=REJECTED,
    body=REJECTED,
    sent_by=kept(_AUDIT),
)
declare_fields(
    "artists.VisitTally",
    "id edition studio exhibition date category visitors pupils school nonce recorded_at"
    " tapped_at voided_at",
    recorded_by=kept(_AUDIT),
)
declare_fields(
    "artists.TallyCorrection",
    "id tally changed_at before after reason",
    changed_by=kept(_AUDIT),
)
declare_fields("artists.QrVisit", "id edition studio exhibition date registered_at")
declare_fields(
    "artists.ArtSale",
    "id edition work description amount sold_on recorded_at",
    artist=kept(_ACCOUNTING),
    recorded_by=kept(_AUDIT),
)
declare_fields(
    "artists.TallyReminder",
    "id edition studio exhibition date recipients sent_at",
    sent_by=kept(_AUDIT),
)
declare_fields(
    "artists.ReportedFigures",
    "id edition joint_exhibition_visits joint_exhibition_pupils local_exhibition_visits"
    " studio_visits open_studios artists art_sales source",
)
