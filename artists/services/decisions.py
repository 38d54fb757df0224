"""Decisions on applications, released in one batch, and the letters that tell them.

A decision is pending until staff release the call's decisions together; releasing
writes one letter per application into the outbox, from the call's templates in the
artist's language, and staff send the letters after reading them.
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from artists import emails, webhooks
from artists.exceptions import ArtistsError
from artists.models import (
    Application,
    Call,
    Decision,
    DecisionChange,
    Letter,
    LetterTemplate,
)
from artists.selectors.jury import applicant_feedback, application_scores, letter_messages
from core.audit import log_action
from core.mail import resend_message
from core.webhooks import emit


@transaction.atomic
def set_decision(*, application: Application, outcome: str, by, note: str = "") -> Decision:
    """Record or change the outcome of a submitted application; every change is kept.

    A new decision is pending until released. Changing a released decision tells nobody
    by itself: release again to write the new letter.
    """
    if outcome not in Decision.Outcome.values:
        raise ArtistsError(_("Choose accepted, waitlisted or rejected."))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.state != Application.State.SUBMITTED:
        raise ArtistsError(_("Only a submitted application can get a decision."))
    decision = Decision.objects.select_for_update().filter(application=application).first()
    previous = decision.outcome if decision else ""
    if decision is None:
        decision = Decision(application=application, outcome=outcome, decided_by=by)
        decision.save()
    elif decision.outcome == outcome:
        return decision
    else:
        decision.outcome = outcome
        decision.decided_by = by
        # A changed decision is pending again until it is released.
        decision.released_at = None
        decision.save(update_fields=["outcome", "decided_by", "released_at", "updated_at"])
    DecisionChange.objects.create(
        decision=decision, from_outcome=previous, to_outcome=outcome, note=note, changed_by=by
    )
    # The decision's own history (DecisionChange, with the note) stays the record the
    # letters and the ranking read; the audit entry puts it in the trail with the rest.
    log_action(
        application,
        "artists.application.decided",
        by,
        changes={"outcome": [previous or None, outcome]},
    )
    return decision


@transaction.atomic
def set_decisions(*, call: Call, outcomes: dict[int, str], by) -> int:
    """Record the outcomes of several of a call's applications at once (application id to
    outcome) and return how many decisions changed; all are saved, or none.

    Preconditions: every application is a submitted application of the call (else
    ArtistsError, and nothing is saved).
    """
    applications = Application.objects.filter(
        call=call, state=Application.State.SUBMITTED, pk__in=list(outcomes)
    ).in_bulk()
    if len(applications) != len(outcomes):
        raise ArtistsError(_("An application in the form is not in this call."))
    before = dict(
        Decision.objects.filter(application__in=applications.values()).values_list(
            "application_id", "outcome"
        )
    )
    changed = 0
    for pk, outcome in outcomes.items():
        decision = set_decision(application=applications[pk], outcome=outcome, by=by)
        if before.get(pk) != decision.outcome:
            changed += 1
    return changed


def letter_context(application: Application, feedback: dict | None) -> dict:
    """Return the values of a letter's placeholders for an application."""
    from django.conf import settings

    artist = application.artist
    values = {
        "name": artist.name,
        "edition": application.call.period.name,
        "outcome": application.decision.get_outcome_display(),
        "profile_url": settings.SITE_URL + artist.get_absolute_url(),
        "score": "",
        "median": "",
        "comments": "",
    }
    if feedback:
        values.update(
            score=_format_score(feedback.get("score")),
            median=_format_score(feedback.get("median")),
            comments="\n\n".join(f"– {comment}" for comment in feedback.get("comments", [])),
        )
    return values


def _format_score(value) -> str:
    return "" if value is None else f"{value:.1f}"


def render_letter(template: LetterTemplate, values: dict) -> tuple[str, str]:
    """Fill a template's placeholders; an unknown placeholder is left as it was written."""

    class Keep(dict):
        def __missing__(self, key):
            return "{" + key + "}"

    return template.subject.format_map(Keep(values)), template.body.format_map(Keep(values))


@transaction.atomic
def release_decisions(*, call: Call, by, now=None) -> list[Letter]:
    """Release every pending decision of the call and write their letters to the outbox.

    Preconditions: a letter template exists for each outcome being released, in Norwegian
    (used when the artist's language has none). Nothing is released otherwise.
    """
    now = now or timezone.now()
    pending = list(
        # Lock only the decisions: the artist's login is on the nullable side of a join,
        # which PostgreSQL will not lock.
        Decision.objects.select_for_update(of=("self",))
        .filter(application__call=call, released_at__isnull=True)
        .select_related("application__artist__user", "application__call__period")
    )
    if not pending:
        raise ArtistsError(_("No decisions are waiting to be released."))
    templates = {(t.outcome, t.language): t for t in call.letter_templates.all()}
    missing = sorted(
        {d.get_outcome_display() for d in pending if (d.outcome, "nb") not in templates}
    )
    if missing:
        raise ArtistsError(
            _("Write the Norwegian letter for: %(outcomes)s.") % {"outcomes": ", ".join(missing)}
        )
    scores = application_scores(call) if call.feedback_to_applicants else {}
    letters = []
    for decision in pending:
        application = decision.application
        language = application.artist.language
        template = (
            templates.get((decision.outcome, language)) or templates[(decision.outcome, "nb")]
        )
        with translation.override(template.language):
            values = letter_context(application, applicant_feedback(application, scores))
        subject, body = render_letter(template, values)
        to = emails.applicant_email(application)
        if not to:
            raise ArtistsError(
                _("%(artist)s has no email address.") % {"artist": application.artist.name}
            )
        letters.append(
            Letter(application=application, to_email=to, subject=subject, body=body, created_at=now)
        )
        decision.released_at = now
        decision.save(update_fields=["released_at", "updated_at"])
    Letter.objects.bulk_create(letters)
    emit(
        webhooks.DECISIONS_RELEASED,
        webhooks.ReleasedDecisions(
            call=call,
            applications=sorted(decision.application_id for decision in pending),
            released_at=now,
        ),
    )
    return letters


def send_letters(*, letters, by, now=None) -> int:
    """Send letters from the outbox that have not been sent; return how many were sent.

    Each letter's email is recorded as an outbound message in the letter's transaction and
    the letter marked sent (handed over) with it; its delivery (queued, sent, failed) is
    the message's (artists.selectors.jury.outbox_letters). A failure part way leaves the
    rest in the outbox.
    """
    now = now or timezone.now()
    sent = 0
    for letter in letters:
        with transaction.atomic():
            letter = Letter.objects.select_for_update().get(pk=letter.pk)
            if letter.sent_at is not None:
                continue
            emails.send_letter(letter)
            letter.sent_at = now
            letter.sent_by = by
            letter.save(update_fields=["sent_at", "sent_by"])
            sent += 1
    return sent


def resend_letter(*, letter: Letter, by):
    """Queue a letter's email again when it failed (core.mail.resend_message).

    Precondition: ``by`` may decide on the letter's call (the view checks it). A letter
    not sent yet, or whose email was cleared, raises ArtistsError; one sent is not sent
    twice.
    """
    message = letter_messages().filter(about_id=letter.pk).order_by("-pk").first()
    if message is None:
        raise ArtistsError(_("This letter has no email to send again."))
    return resend_message(message, by=by)
