"""Tallies by hosts: counting, retries, bad input, corrections and sales (services)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from artists.exceptions import ArtistsError
from artists.models import ArtSale, TallyReminder, VisitTally
from artists.selectors.tallies import completeness
from artists.services import tallies
from core.models import OutboundMessage
from tests.artists.factories import art_round_call

DAY = date(2016, 9, 17)


def test_the_artist_counts_at_their_studio(open_studio, artist_profile):
    result = tallies.record_tally(
        by=artist_profile.user, place=open_studio, day=DAY, visitors=1, nonce="n-1"
    )
    assert not result.replayed
    tally = VisitTally.objects.get()
    assert (tally.studio, tally.exhibition, tally.edition) == (
        open_studio,
        None,
        open_studio.edition,
    )
    assert tally.recorded_by == artist_profile.user


def test_a_retry_with_the_same_nonce_counts_once(open_studio, artist_profile):
    first = tallies.record_tally(
        by=artist_profile.user, place=open_studio, day=DAY, visitors=3, nonce="n-1"
    )
    again = tallies.record_tally(
        by=artist_profile.user, place=open_studio, day=DAY, visitors=3, nonce="n-1"
    )
    assert again.replayed and again.tally == first.tally
    assert VisitTally.objects.count() == 1


def test_a_nonce_reused_for_another_count_is_refused(open_studio, artist_profile):
    tallies.record_tally(by=artist_profile.user, place=open_studio, day=DAY, visitors=3, nonce="x")
    with pytest.raises(ArtistsError):
        tallies.record_tally(
            by=artist_profile.user, place=open_studio, day=DAY, visitors=4, nonce="x"
        )
    assert VisitTally.objects.get().visitors == 3


def test_a_host_counts_school_classes_at_the_exhibition(exhibition_open, venue_host):
    tallies.record_tally(
        by=venue_host,
        place=exhibition_open,
        day=date(2016, 9, 13),
        visitors=27,
        pupils=25,
        school="Asker ungdomsskole",
        category=VisitTally.Category.SCHOOL_CLASS,
    )
    tally = VisitTally.objects.get()
    assert (tally.exhibition, tally.pupils, tally.school) == (
        exhibition_open,
        25,
        "Asker ungdomsskole",
    )


@pytest.mark.parametrize("who", ["other_artist", "other_host", "nobody", "juror"])
def test_no_one_counts_at_a_place_they_do_not_host(request, open_studio, exhibition_open, who):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    for place in (open_studio, exhibition_open):
        with pytest.raises(PermissionDenied):
            tallies.record_tally(by=user, place=place, day=DAY, visitors=1)
    assert not VisitTally.objects.exists()


def test_staff_count_anywhere(open_studio, exhibition_open, project_leader):
    for place in (open_studio, exhibition_open):
        tallies.record_tally(by=project_leader, place=place, day=DAY, visitors=2)
    assert VisitTally.objects.count() == 2


@pytest.mark.parametrize("visitors", [0, -1, 201])
def test_absurd_counts_are_refused(open_studio, artist_profile, visitors):
    with pytest.raises(ValidationError) as caught:
        tallies.record_tally(by=artist_profile.user, place=open_studio, day=DAY, visitors=visitors)
    assert "visitors" in caught.value.message_dict
    assert not VisitTally.objects.exists()


@override_settings(TALLY_MAX_PER_ENTRY=500)
def test_the_maximum_per_entry_is_a_setting(open_studio, artist_profile):
    tallies.record_tally(by=artist_profile.user, place=open_studio, day=DAY, visitors=300)
    assert VisitTally.objects.get().visitors == 300


@pytest.mark.parametrize(
    ("place", "day"),
    [
        ("open_studio", date(2016, 9, 19)),  # the Monday between the weekends
        ("exhibition_open", date(2016, 9, 12)),  # the exhibition's closed day
        ("exhibition_open", date(2016, 9, 26)),  # after it closed
        ("open_studio", date(2099, 9, 17)),  # the future
    ],
)
def test_a_closed_or_future_day_is_refused(request, project_leader, place, day):
    with pytest.raises(ValidationError) as caught:
        tallies.record_tally(
            by=project_leader, place=request.getfixturevalue(place), day=day, visitors=1
        )
    assert "date" in caught.value.message_dict
    assert not VisitTally.objects.exists()


def test_a_school_class_needs_its_pupils_and_school(exhibition_open, venue_host):
    with pytest.raises(ValidationError) as caught:
        tallies.record_tally(
            by=venue_host,
            place=exhibition_open,
            day=DAY,
            visitors=20,
            category=VisitTally.Category.SCHOOL_CLASS,
        )
    assert {"pupils", "school"} <= set(caught.value.message_dict)


def test_corrections_are_kept_in_a_history(open_studio, artist_profile, project_leader):
    tally = tallies.record_tally(
        by=artist_profile.user, place=open_studio, day=DAY, visitors=12
    ).tally
    tallies.correct_tally(
        tally=tally, by=artist_profile.user, reason="Tapped 12, was 2", visitors=2
    )
    tallies.void_tally(tally=tally, by=project_leader, reason="Counted on another phone too")
    tally.refresh_from_db()
    assert tally.visitors == 2 and tally.is_void
    history = list(tally.corrections.values_list("before__visitors", "after__visitors", "reason"))
    assert history == [
        (12, 2, "Tapped 12, was 2"),
        (2, 2, "Counted on another phone too"),
    ]
    with pytest.raises(ArtistsError):
        tallies.correct_tally(tally=tally, by=project_leader, reason="x", visitors=3)


def test_a_correction_needs_a_reason_and_a_host(open_studio, artist_profile, other_artist):
    tally = tallies.record_tally(
        by=artist_profile.user, place=open_studio, day=DAY, visitors=1
    ).tally
    with pytest.raises(ValidationError):
        tallies.correct_tally(tally=tally, by=artist_profile.user, reason=" ", visitors=2)
    with pytest.raises(PermissionDenied):
        tallies.correct_tally(tally=tally, by=other_artist.user, reason="mine", visitors=2)
    assert not tally.corrections.exists()


def test_sales_are_recorded_by_the_artist_only(artist_profile, other_artist, edition):
    tallies.record_sale(
        by=artist_profile.user,
        artist=artist_profile,
        edition=edition,
        amount=4500,
        description="Grafikkblad",
    )
    with pytest.raises(PermissionDenied):
        tallies.record_sale(
            by=other_artist.user,
            artist=artist_profile,
            edition=edition,
            amount=1,
            description="x",
        )
    with pytest.raises(ValidationError):
        tallies.record_sale(
            by=artist_profile.user,
            artist=artist_profile,
            edition=edition,
            amount=0,
            description="x",
        )
    assert list(ArtSale.objects.values_list("amount", flat=True)) == [4500]


# Reminders about missing counts ------------------------------------------------------------


def test_staff_remind_the_hosts_of_places_without_counts(
    open_studio,
    exhibition_open,
    artist_profile,
    venue_host,
    project_leader,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    tallies.record_tally(by=artist_profile.user, place=open_studio, day=DAY, visitors=4)
    with django_capture_on_commit_callbacks(execute=True):
        sent = tallies.send_tally_reminders(
            by=project_leader,
            edition=open_studio.edition,
            missing=[
                (open_studio, DAY),  # counted meanwhile: no reminder
                (open_studio, date(2016, 9, 18)),
                (open_studio, date(2016, 9, 24)),
                (exhibition_open, date(2016, 9, 13)),
            ],
        )
    assert [(place, day) for place, day in sent.already_reported] == [(open_studio, DAY)]
    rows = TallyReminder.objects.order_by("date")
    assert [(r.studio_id, r.exhibition_id, r.date, r.recipients, r.sent_by) for r in rows] == [
        (None, exhibition_open.pk, date(2016, 9, 13), 1, project_leader),
        (open_studio.pk, None, date(2016, 9, 18), 1, project_leader),
        (open_studio.pk, None, date(2016, 9, 24), 1, project_leader),
    ]
    by_address = {tuple(mail.to): mail for mail in mailoutbox}
    assert set(by_address) == {(artist_profile.email,), (venue_host.email,)}
    studio_mail = by_address[(artist_profile.email,)]
    assert "Atelier Maler" in studio_mail.subject
    assert f"/telling/atelier/{open_studio.pk}/?dag=2016-09-18" in studio_mail.body
    assert f"/telling/atelier/{open_studio.pk}/?dag=2016-09-24" in studio_mail.body
    assert (
        f"/telling/utstilling/{exhibition_open.pk}/?dag=2016-09-13"
        in by_address[(venue_host.email,)].body
    )


def test_each_press_of_the_reminder_button_is_its_own_email(
    open_studio, project_leader, mailoutbox, django_capture_on_commit_callbacks
):
    for _press in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tallies.send_tally_reminders(
                by=project_leader, edition=open_studio.edition, missing=[(open_studio, DAY)]
            )
    first, second = TallyReminder.objects.order_by("pk")
    keys = sorted(
        OutboundMessage.objects.filter(kind="artists.tally_reminder").values_list("key", flat=True)
    )
    tag = tallies._address_tag(open_studio.artists.get().email)
    assert keys == [
        f"artists.tally_reminder:artists.studio:{open_studio.pk}:reminder-{first.pk}:to-{tag}",
        f"artists.tally_reminder:artists.studio:{open_studio.pk}:reminder-{second.pk}:to-{tag}",
    ]
    assert len(mailoutbox) == 2


def test_reminders_go_to_every_artist_of_a_shared_studio(
    shared_studio,
    other_artist,
    artist_profile,
    project_leader,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        tallies.send_tally_reminders(
            by=project_leader, edition=shared_studio.edition, missing=[(shared_studio, DAY)]
        )
    # One email each (a reminder goes to one address, with its own unsubscribe link).
    assert sorted(m.to for m in mailoutbox) == sorted(
        [[artist_profile.email], [other_artist.email]]
    )
    assert TallyReminder.objects.get().recipients == 2


def test_a_place_without_addresses_is_reported_not_reminded(
    exhibition_open, venue_host, project_leader, mailoutbox, django_capture_on_commit_callbacks
):
    venue_host.email = ""
    venue_host.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = tallies.send_tally_reminders(
            by=project_leader, edition=exhibition_open.edition, missing=[(exhibition_open, DAY)]
        )
    assert sent.without_address == [exhibition_open]
    assert not TallyReminder.objects.exists() and not mailoutbox


@pytest.mark.parametrize("who", ["artist", "venue_host", "juror", "nobody"])
def test_only_staff_send_reminders(request, open_studio, who):
    with pytest.raises(PermissionDenied):
        tallies.send_tally_reminders(
            by=request.getfixturevalue(who),
            edition=open_studio.edition,
            missing=[(open_studio, DAY)],
        )
    assert not TallyReminder.objects.exists()


@pytest.mark.parametrize("day", [date(2016, 9, 19), date(2099, 9, 17)])
def test_no_reminder_for_a_closed_or_future_day(open_studio, project_leader, day):
    with pytest.raises(ValidationError):
        tallies.send_tally_reminders(
            by=project_leader, edition=open_studio.edition, missing=[(open_studio, day)]
        )
    assert not TallyReminder.objects.exists()


def test_no_reminder_for_a_place_of_another_edition(open_studio, project_leader):
    other = art_round_call("2017").period
    with pytest.raises(ValidationError):
        tallies.send_tally_reminders(by=project_leader, edition=other, missing=[(open_studio, DAY)])


# Completeness ------------------------------------------------------------------------------


def test_completeness_shows_reported_missing_reminded_and_closed(
    open_studio, exhibition_open, artist_profile, venue_host, project_leader
):
    tallies.record_tally(by=artist_profile.user, place=open_studio, day=DAY, visitors=4)
    tallies.record_tally(by=artist_profile.user, place=open_studio, day=DAY, visitors=3)
    removed = tallies.record_tally(
        by=venue_host, place=exhibition_open, day=date(2016, 9, 10), visitors=9
    ).tally
    tallies.void_tally(tally=removed, by=venue_host, reason="Wrong day")
    tallies.send_tally_reminders(
        by=project_leader, edition=open_studio.edition, missing=[(open_studio, date(2016, 9, 18))]
    )
    matrix = completeness(open_studio.edition)
    assert matrix.days[0] == date(2016, 9, 10) and matrix.days[-1] == date(2016, 9, 25)
    assert date(2016, 9, 12) not in matrix.days  # nobody was open that Monday
    exhibition_row, studio_row = matrix.rows
    assert (exhibition_row.place, studio_row.place) == (exhibition_open, open_studio)
    studio_cells = {cell.day: cell for cell in studio_row.cells}
    assert studio_cells[DAY].state == "reported" and studio_cells[DAY].visitors == 7
    assert studio_cells[date(2016, 9, 18)].state == "reminded"
    assert studio_cells[date(2016, 9, 24)].state == "missing"
    assert studio_cells[date(2016, 9, 13)].state == "closed"
    exhibition_cells = {cell.day: cell for cell in exhibition_row.cells}
    assert exhibition_cells[date(2016, 9, 10)].state == "missing"  # its only count was removed
    assert exhibition_row.missing == 15 and studio_row.missing == 3
    assert matrix.missing == 18 and matrix.reported == 1


def test_completeness_only_counts_days_up_to_today(open_studio):
    matrix = completeness(open_studio.edition, today=date(2016, 9, 18))
    assert matrix.days == [date(2016, 9, 17), date(2016, 9, 18)]
