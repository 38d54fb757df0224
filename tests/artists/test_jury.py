"""The jury's services and reads: scoring, refusals, conflicts, a juror's order, the
next application, what other jurors see and the feedback comments."""

import hashlib
from decimal import Decimal

import pytest
from django.utils import translation

from artists.exceptions import ArtistsError
from artists.models import Application, Conflict, Review, ReviewPhase, Score
from artists.selectors import jury as selectors
from artists.services.jury import mark_conflict, recuse, save_review
from tests.artists.factories import CriterionFactory, full_scores, move_phase

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def snapshot():
    """Return everything the jury's services write, to show that a refusal changed nothing."""
    return (
        list(Review.objects.order_by("pk").values()),
        list(Score.objects.order_by("pk").values()),
        list(Conflict.objects.order_by("pk").values()),
    )


# Scoring -----------------------------------------------------------------------------------


def test_a_juror_has_one_review_per_application_updated_in_place(jurors, criteria, applications):
    juror, application = jurors[0], applications[0]
    review = save_review(
        application=application, juror=juror, scores={criteria[0]: 4}, comment="  Fint.  "
    )
    assert review.comment == "Fint."
    assert review.is_complete is False
    assert review.weighted_score is None
    again = save_review(
        application=application,
        juror=juror,
        scores={criteria[1].pk: 2, criteria[2].pk: 10},
        comment_shareable=True,
    )
    assert again.pk == review.pk
    assert Review.objects.filter(application=application, juror=juror).count() == 1
    again.refresh_from_db()
    assert again.comment == "Fint."  # kept when not given
    assert again.comment_shareable is True
    assert again.is_complete is True
    # (2 × 3/4 + 1 × 1 + 1 × 1) / 4 × 100 = 87.5
    assert again.weighted_score == Decimal("87.50")
    assert {s.criterion_id: s.value for s in again.scores.all()} == {
        criteria[0].pk: 4,
        criteria[1].pk: 2,
        criteria[2].pk: 10,
    }


def test_clearing_a_score_makes_the_review_incomplete_again(jurors, criteria, applications):
    juror, application = jurors[0], applications[0]
    save_review(application=application, juror=juror, scores=full_scores(criteria, 1, 0, 1))
    review = Review.objects.get(application=application, juror=juror)
    assert review.is_complete and review.weighted_score == Decimal("0.00")
    save_review(application=application, juror=juror, scores={criteria[2]: None})
    review.refresh_from_db()
    assert review.is_complete is False
    assert review.weighted_score is None
    assert review.scores.count() == 2


@pytest.mark.parametrize(
    "criterion_index, value",
    [(0, 0), (0, 6), (1, 3), (1, -1), (2, 11)],
    ids=["below", "above", "yes-maybe-no-3", "negative", "above-ten"],
)
def test_a_score_outside_the_scale_is_refused_and_nothing_changes(
    jurors, criteria, applications, criterion_index, value
):
    juror, application = jurors[0], applications[0]
    save_review(application=application, juror=juror, scores={criteria[0]: 3}, comment="Før")
    before = snapshot()
    with pytest.raises(ArtistsError, match="is not on the scale"):
        save_review(
            application=application,
            juror=juror,
            scores={criteria[2]: 5, criteria[criterion_index]: value},
            comment="Etter",
        )
    assert snapshot() == before


def test_a_criterion_of_another_call_is_refused(jurors, criteria, applications, other_call):
    foreign = CriterionFactory(call=other_call, name_nb="Fremmed")
    with pytest.raises(ArtistsError, match="not one of the call's"):
        save_review(application=applications[0], juror=jurors[0], scores={foreign: 3})
    assert not Review.objects.exists()


def test_a_comment_too_long_is_refused(jurors, criteria, applications):
    with pytest.raises(ArtistsError):
        save_review(application=applications[0], juror=jurors[0], scores={}, comment="x" * 4001)
    assert not Review.objects.exists()


@pytest.mark.parametrize("state", [Application.State.DRAFT, Application.State.WITHDRAWN])
def test_only_submitted_applications_are_scored(jurors, criteria, applications, state):
    application = applications[0]
    save_review(application=application, juror=jurors[0], scores={criteria[0]: 3})
    Application.objects.filter(pk=application.pk).update(state=state)
    before = snapshot()
    with pytest.raises(ArtistsError, match="Only submitted applications"):
        save_review(application=application, juror=jurors[0], scores={criteria[0]: 5})
    assert snapshot() == before


@pytest.mark.parametrize(
    "when, message", [("before", "starts"), ("after", "ended")], ids=["before", "after"]
)
def test_scoring_outside_the_review_phase_is_refused(
    jurors, criteria, applications, review_phase, when, message
):
    move_phase(review_phase, when)
    with pytest.raises(ArtistsError, match=f"The review phase {message}"):
        save_review(application=applications[0], juror=jurors[0], scores={criteria[0]: 3})
    assert not Review.objects.exists()


def test_scoring_without_a_review_phase_is_refused(jurors, criteria, applications, review_phase):
    review_phase.delete()
    with pytest.raises(ArtistsError, match="no review phase"):
        save_review(application=applications[0], juror=jurors[0], scores={criteria[0]: 3})


def test_a_selection_phase_is_not_a_review_phase(jurors, criteria, applications, review_phase):
    review_phase.kind = ReviewPhase.Kind.SELECTION
    review_phase.save()
    with pytest.raises(ArtistsError, match="no review phase"):
        save_review(application=applications[0], juror=jurors[0], scores={criteria[0]: 3})


@pytest.mark.parametrize("who", ["other_call_juror", "project_leader", "admin_user", "artist"])
def test_only_the_calls_jurors_score(request, jurors, criteria, applications, who):
    user = request.getfixturevalue(who)
    with pytest.raises(ArtistsError, match="not on the jury"):
        save_review(application=applications[0], juror=user, scores={criteria[0]: 3})
    assert not Review.objects.exists()


def test_a_juror_in_conflict_cannot_score(jurors, criteria, applications, project_leader):
    mark_conflict(application=applications[0], juror=jurors[0], reason="Nabo", by=None)
    with pytest.raises(ArtistsError, match="conflict of interest"):
        save_review(application=applications[0], juror=jurors[0], scores={criteria[0]: 3})
    assert not Review.objects.exists()


# Conflicts --------------------------------------------------------------------------------


def test_a_juror_recuses_with_a_reason(jurors, applications):
    conflict = recuse(application=applications[0], juror=jurors[0], reason="  Min søster.  ")
    assert conflict.source == Conflict.Source.JUROR
    assert conflict.reason == "Min søster."
    with pytest.raises(ArtistsError, match="conflict of interest"):
        recuse(application=applications[0], juror=jurors[0], reason="Igjen")
    assert Conflict.objects.count() == 1


def test_recusing_needs_a_reason_and_the_review_phase(jurors, applications, review_phase):
    with pytest.raises(ArtistsError, match="reason"):
        recuse(application=applications[0], juror=jurors[0], reason="   ")
    move_phase(review_phase, "after")
    with pytest.raises(ArtistsError, match="ended"):
        recuse(application=applications[0], juror=jurors[0], reason="Kjenner henne")
    assert not Conflict.objects.exists()


def test_staff_mark_conflicts_at_any_time_for_the_calls_jurors_only(
    jurors, applications, review_phase, other_call_juror
):
    move_phase(review_phase, "before")
    conflict = mark_conflict(
        application=applications[1], juror=jurors[1], reason="Samboer", by=None
    )
    assert conflict.source == Conflict.Source.STAFF
    with pytest.raises(ArtistsError, match="already recorded"):
        mark_conflict(application=applications[1], juror=jurors[1], reason="Igjen", by=None)
    with pytest.raises(ArtistsError, match="not on the jury"):
        mark_conflict(
            application=applications[1], juror=other_call_juror, reason="Feil jury", by=None
        )
    with pytest.raises(ArtistsError, match="reason"):
        mark_conflict(application=applications[2], juror=jurors[1], reason="", by=None)
    assert Conflict.objects.count() == 1


def test_a_review_written_before_recusing_is_kept_but_no_longer_counts(
    jurors, criteria, applications
):
    """The decision documented in artists.selectors.jury: kept, left out everywhere."""
    application = applications[0]
    first, second, third = jurors
    save_review(
        application=application,
        juror=first,
        scores=full_scores(criteria, 5, 2, 10),
        comment="Svært sterk.",
        comment_shareable=True,
    )
    save_review(
        application=application,
        juror=second,
        scores=full_scores(criteria, 1, 0, 1),
        comment="Svak.",
        comment_shareable=True,
    )
    ReviewPhase.objects.filter(call=application.call).update(
        other_scores=ReviewPhase.OtherScores.ALWAYS
    )
    phase = selectors.review_phase(application.call)
    assert selectors.application_scores(application.call)[application.pk]["reviews"] == 2
    assert len(selectors.other_reviews(application, third, phase)) == 2

    recuse(application=application, juror=first, reason="Jeg kjenner igjen verkene: min elev.")

    assert Review.objects.filter(application=application, juror=first).exists()  # kept
    scores = selectors.application_scores(application.call)[application.pk]
    assert scores["reviews"] == 1
    assert scores["weighted"] == Decimal("0.00")
    assert selectors.shareable_comments(application) == ["Svak."]
    assert [other["label"] for other in selectors.other_reviews(application, third, phase)] == ["B"]
    ranking = {row.application.pk: row for row in selectors.ranking(application.call)}
    assert ranking[application.pk].reviews == 1
    progress = {item["juror"]: item for item in selectors.jury_progress(application.call)}
    assert progress[first]["complete"] == 0
    assert progress[first]["assigned"] == len(applications) - 1
    assert application.pk not in [
        a.pk for a in selectors.applications_for_juror(application.call, first)
    ]

    # Removed by staff in the administration: the review counts again.
    Conflict.objects.filter(application=application, juror=first).delete()
    assert selectors.application_scores(application.call)[application.pk]["reviews"] == 2


# A juror's list and order ---------------------------------------------------------------


def test_a_jurors_order_is_random_but_stable_and_their_own(jurors, applications, jury_media):
    from tests.artists.factories import ApplicantFactory, ApplicationFactory

    call = applications[0].call
    for n in range(15):
        ApplicationFactory(
            call=call, artist=ApplicantFactory(name=f"Flere {n}", slug=f"flere-{n}", images=1)
        )
    first = [a.pk for a in selectors.applications_for_juror(call, jurors[0])]
    assert first == [a.pk for a in selectors.applications_for_juror(call, jurors[0])]
    expected = sorted(
        Application.objects.filter(call=call, state=Application.State.SUBMITTED),
        key=lambda a: hashlib.sha256(f"{jurors[0].pk}:{a.shuffle_key}".encode()).hexdigest(),
    )
    assert first == [a.pk for a in expected]
    second = [a.pk for a in selectors.applications_for_juror(call, jurors[1])]
    assert sorted(first) == sorted(second)
    assert first != second  # 20 applications: the same order by chance is 1 in 20!
    assert first != sorted(first)


def test_the_list_holds_only_submitted_applications_without_conflicts(jurors, applications):
    call = applications[0].call
    mark_conflict(application=applications[2], juror=jurors[0], reason="Eks", by=None)
    listed = selectors.applications_for_juror(call, jurors[0])
    assert {a.pk for a in listed} == {a.pk for a in applications} - {applications[2].pk}
    assert selectors.juror_progress(listed) == {"complete": 0, "total": 4}


def test_next_is_the_application_with_fewest_reviews_then_the_jurors_order(
    jurors, criteria, applications
):
    call = applications[0].call
    first, second, third = jurors
    order = [a.pk for a in selectors.applications_for_juror(call, first)]
    by_pk = {a.pk: a for a in applications}
    # Everything but the last two in the juror's order has a complete review by others.
    for pk in order[:-2]:
        save_review(application=by_pk[pk], juror=second, scores=full_scores(criteria, 3, 1, 5))
    assert selectors.next_for_juror(call, first).pk == order[-2]
    assert selectors.next_for_juror(call, first, after=by_pk[order[-2]]).pk == order[-1]
    # An incomplete review by another juror does not count.
    save_review(application=by_pk[order[-2]], juror=third, scores={criteria[0]: 3})
    assert selectors.next_for_juror(call, first).pk == order[-2]
    # The juror's own complete reviews are skipped, incomplete ones are not.
    save_review(application=by_pk[order[-2]], juror=first, scores=full_scores(criteria, 3, 1, 5))
    save_review(application=by_pk[order[-1]], juror=first, scores={criteria[0]: 2})
    assert selectors.next_for_juror(call, first).pk == order[-1]
    for pk in order:
        save_review(application=by_pk[pk], juror=first, scores=full_scores(criteria, 3, 1, 5))
    assert selectors.next_for_juror(call, first) is None


# What other jurors see --------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["never", "after_own", "always"])
def test_other_jurors_reviews_follow_the_phase_setting(
    jurors, criteria, applications, review_phase, setting
):
    review_phase.other_scores = setting
    review_phase.save()
    application = applications[0]
    first, second, third = jurors
    save_review(application=application, juror=second, scores=full_scores(criteria, 5, 2, 10))
    save_review(application=application, juror=third, scores={criteria[0]: 1})  # incomplete
    before_own = selectors.other_reviews(application, first, review_phase)
    save_review(application=application, juror=first, scores=full_scores(criteria, 1, 0, 1))
    after_own = selectors.other_reviews(application, first, review_phase)
    if setting == "never":
        assert before_own == after_own == []
    elif setting == "after_own":
        assert before_own == []
        assert [other["label"] for other in after_own] == ["B"]
    else:
        assert [other["label"] for other in before_own] == ["B"]
        assert after_own == before_own
    for other in after_own:
        assert set(other) == {"label", "weighted_score", "comment", "values"}


def test_jurors_are_lettered_the_same_on_every_application(jurors, applications):
    labels = selectors.juror_labels(applications[0].call)
    assert [labels[juror.pk] for juror in jurors] == ["A", "B", "C"]


def test_shareable_comments_are_anonymous_and_only_the_shared_ones(jurors, criteria, applications):
    application = applications[0]
    first, second, third = jurors
    save_review(
        application=application,
        juror=first,
        scores=full_scores(criteria, 4, 2, 8),
        comment="Delbar kommentar.",
        comment_shareable=True,
    )
    save_review(
        application=application,
        juror=second,
        scores=full_scores(criteria, 2, 1, 4),
        comment="Bare for juryen.",
    )
    save_review(
        application=application,
        juror=third,
        scores=full_scores(criteria, 3, 1, 6),
        comment="   ",
        comment_shareable=True,
    )
    assert selectors.shareable_comments(application) == ["Delbar kommentar."]
    assert selectors.shareable_comments(applications[1]) == []


# Concurrency ------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_autosaves_that_cross_keep_one_review(jurors, criteria, applications):
    """Two of a juror's saves at the same moment (autosave on change) make one review."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    juror, application = jurors[0], applications[0]
    barrier = threading.Barrier(6)

    def attempt(i):
        try:
            barrier.wait(timeout=30)
            return save_review(
                application=application, juror=juror, scores={criteria[i % 3]: 1 + i % 2}
            )
        except Exception as exc:  # noqa: BLE001 -- returned to the test to inspect
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(attempt, range(6)))
    assert all(isinstance(result, Review) for result in results), results
    review = Review.objects.get(application=application, juror=juror)
    assert review.scores.count() == 3
    assert review.is_complete
