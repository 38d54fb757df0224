"""The jury's workflows: score an application, recuse from it, mark a juror's conflict,
and make the jury's own copies of an application's images.

Every refusal is an ArtistsError with a message for the user, raised before anything is
written, so a refused request changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artists.exceptions import ArtistsError
from artists.images import delete_files_on_commit, prepare_review_copy
from artists.models import (
    Application,
    ApplicationImage,
    Conflict,
    Criterion,
    Review,
    Score,
    weighted_score,
)
from artists.selectors.jury import review_phase
from core import formats
from core.audit import log_action


def _when(moment) -> str:
    return formats.when(moment)


def check_review_phase(call, now) -> None:
    """Refuse unless the call's review phase is running now."""
    phase = review_phase(call)
    if phase is None:
        raise ArtistsError(_("This call has no review phase."))
    if now < phase.starts_at:
        raise ArtistsError(
            _("The review phase starts %(when)s.") % {"when": _when(phase.starts_at)}
        )
    if now >= phase.ends_at:
        raise ArtistsError(_("The review phase ended %(when)s.") % {"when": _when(phase.ends_at)})


def check_juror_may_review(*, application: Application, juror, now) -> None:
    """Refuse unless the juror may see the application now.

    The juror is on the call's jury, the review phase runs, the application is
    submitted and the juror has no conflict of interest with it.
    """
    call = application.call
    if not call.jurors.filter(pk=juror.pk).exists():
        raise ArtistsError(_("You are not on the jury of this call."))
    check_review_phase(call, now)
    if application.state != Application.State.SUBMITTED:
        raise ArtistsError(_("Only submitted applications are reviewed."))
    if Conflict.objects.filter(application=application, juror=juror).exists():
        raise ArtistsError(_("You have a conflict of interest with this application."))


def _checked_values(criteria: list[Criterion], scores: dict) -> dict[Criterion, int | None]:
    criteria = {criterion.pk: criterion for criterion in criteria}
    values = {}
    for key, value in scores.items():
        criterion_id = key.pk if isinstance(key, Criterion) else key
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ArtistsError(_("This criterion is not one of the call's."))
        if value is not None and value not in dict(criterion.choices()):
            raise ArtistsError(
                _("%(value)s is not on the scale of “%(criterion)s”: choose one of %(choices)s.")
                % {
                    "value": value,
                    "criterion": criterion.name,
                    "choices": ", ".join(label for _value, label in criterion.choices()),
                }
            )
        values[criterion] = value
    return values


@transaction.atomic
def save_review(
    *,
    application: Application,
    juror,
    scores: dict,
    comment: str | None = None,
    comment_shareable: bool | None = None,
    now=None,
) -> Review:
    """Save the juror's review of an application: one per juror, updated in place.

    ``scores`` maps criteria (or their ids) to a value on the criterion's scale, or to
    None to clear it; criteria left out keep their score. ``comment`` and
    ``comment_shareable`` are left as they were when None. The weighted score is kept:
    set when every criterion of the call is scored (and the review complete), else empty.

    Preconditions: see check_juror_may_review(); every value is on its criterion's scale.
    """
    now = now or timezone.now()
    # Locking the application serialises a juror's saves that cross (autosave on change).
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    check_juror_may_review(application=application, juror=juror, now=now)
    criteria = list(application.call.criteria.all())
    values = _checked_values(criteria, scores)

    review = Review.objects.filter(application=application, juror=juror).first()
    before = (review.comment, review.comment_shareable) if review else ("", False)
    if review is None:
        review = Review(application=application, juror=juror, created_at=now)
    if comment is not None:
        review.comment = comment.strip()
        # A TextField's max_length is not checked by full_clean().
        most = Review._meta.get_field("comment").max_length
        if len(review.comment) > most:
            raise ArtistsError(_("Keep the comment within %(most)d characters.") % {"most": most})
    if comment_shareable is not None:
        review.comment_shareable = comment_shareable
    try:
        review.full_clean(exclude=["application", "juror"], validate_unique=False)
    except ValidationError as exc:
        raise ArtistsError(" ".join(exc.messages)) from exc
    review.save()

    cleared = [criterion.pk for criterion, value in values.items() if value is None]
    Score.objects.filter(review=review, criterion_id__in=cleared).delete()
    for criterion, value in values.items():
        if value is not None:
            Score.objects.update_or_create(
                review=review, criterion=criterion, defaults={"value": value}
            )
    changes = {f"score_{criterion.pk}": [None, value] for criterion, value in values.items()}
    if review.comment != before[0]:
        changes["comment"] = "changed"
    if review.comment_shareable != before[1]:
        changes["comment_shareable"] = [before[1], review.comment_shareable]
    # The juror acts on their own review.
    log_action(review, "artists.review.saved", juror, changes=changes)
    return _update_totals(review, criteria)


def _update_totals(review: Review, criteria: list[Criterion]) -> Review:
    given = {score.criterion_id: score.value for score in review.scores.all()}
    review.is_complete = bool(criteria) and all(criterion.pk in given for criterion in criteria)
    review.weighted_score = (
        weighted_score({criterion: given[criterion.pk] for criterion in criteria})
        if review.is_complete
        else None
    )
    review.save(update_fields=["is_complete", "weighted_score", "updated_at"])
    return review


def _create_conflict(
    *, application: Application, juror, reason: str, source: str, by, now
) -> Conflict:
    if Conflict.objects.filter(application=application, juror=juror).exists():
        raise ArtistsError(_("This conflict of interest is already recorded."))
    conflict = Conflict(
        application=application, juror=juror, reason=reason.strip(), source=source, created_at=now
    )
    if not conflict.reason:
        raise ArtistsError(_("Give a reason for the conflict of interest."))
    most = Conflict._meta.get_field("reason").max_length
    if len(conflict.reason) > most:
        raise ArtistsError(_("Keep the reason within %(most)d characters.") % {"most": most})
    try:
        conflict.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise ArtistsError(" ".join(exc.messages)) from exc
    conflict.save()
    log_action(
        conflict,
        "artists.conflict.declared"
        if source == Conflict.Source.JUROR
        else "artists.conflict.marked",
        by,
        changes={"application": [None, application.pk], "juror": [None, juror.pk]},
    )
    return conflict


@transaction.atomic
def recuse(*, application: Application, juror, reason: str, now=None) -> Conflict:
    """Record the juror's own conflict of interest with an application, with the reason.

    From then on the juror does not see the application. A review they already wrote is
    kept, but no longer counts: it leaves the ranking, the scores and the applicant's
    feedback (see artists.selectors.jury.counted_reviews).

    Preconditions: the juror may see the application now (check_juror_may_review).
    """
    now = now or timezone.now()
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    check_juror_may_review(application=application, juror=juror, now=now)
    return _create_conflict(
        application=application,
        juror=juror,
        reason=reason,
        source=Conflict.Source.JUROR,
        by=juror,
        now=now,
    )


@transaction.atomic
def mark_conflict(*, application: Application, juror, reason: str, by, now=None) -> Conflict:
    """Record, as staff, a juror's conflict of interest with an application, at any time.

    Preconditions: the caller is staff; the juror is on the call's jury.
    """
    now = now or timezone.now()
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    if not application.call.jurors.filter(pk=juror.pk).exists():
        raise ArtistsError(_("This person is not on the jury of this call."))
    return _create_conflict(
        application=application,
        juror=juror,
        reason=reason,
        source=Conflict.Source.STAFF,
        by=by,
        now=now,
    )


def review_copy(*, link: ApplicationImage) -> ApplicationImage:
    """Return the application image with the jury's copies of it, made now if missing.

    Made once, on the first look, from the stored original. Two first looks at once both
    make copies; the first to record theirs wins and the other's files are deleted.

    Preconditions: the caller may see the application in the jury's pages.
    """
    if link.review_display and link.review_thumbnail:
        return link
    copy = prepare_review_copy(link.image.image)
    field = ApplicationImage._meta.get_field("review_display")
    storage = field.storage
    display = storage.save(field.generate_filename(link, copy.display.name), copy.display)
    thumbnail = storage.save(field.generate_filename(link, copy.thumbnail.name), copy.thumbnail)
    recorded = ApplicationImage.objects.filter(pk=link.pk, review_display="").update(
        review_display=display, review_thumbnail=thumbnail
    )
    if not recorded:
        storage.delete(display)
        storage.delete(thumbnail)
    link.refresh_from_db(fields=["review_display", "review_thumbnail"])
    return link


def delete_review_copies(sender, instance: ApplicationImage, **kwargs) -> None:
    """Delete the jury's copies of an application image once its deletion commits.

    Connected to post_delete (artists.apps), so the copies go however the row goes: an
    artist changing the images of an application, or an application deleted.
    """
    delete_files_on_commit(instance.review_display, instance.review_thumbnail)
