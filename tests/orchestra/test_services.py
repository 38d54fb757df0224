"""Members, their status history, guardians, logins and consents, through the services."""

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from orchestra import services
from orchestra.exceptions import OrchestraError
from orchestra.models import (
    ConsentAcceptance,
    ConsentText,
    Group,
    Guardian,
    Instrument,
    Member,
    MemberInstrument,
    StatusChange,
)
from orchestra.selectors import current_consent_text, members_with_status, with_current_status
from tests.orchestra.factories import CHILD_NAME, born_years_ago, instrument

pytestmark = pytest.mark.django_db


def test_the_usual_instruments_are_seeded_with_their_sections():
    sections = dict(Instrument.objects.values_list("name_en", "section"))
    assert sections["Violin"] == "strings"
    assert sections["Double bass"] == "strings"
    assert sections["Clarinet"] == "woodwind"
    assert sections["Tuba"] == "brass"
    assert sections["Percussion"] == "percussion"
    assert sections["Harp"] == "other"
    assert len(sections) == 16


def test_age_on_counts_whole_years():
    member = Member(birth_date=date(2010, 6, 15))
    assert member.age_on(date(2026, 6, 14)) == 15
    assert member.age_on(date(2026, 6, 15)) == 16
    leap = Member(birth_date=date(2012, 2, 29))
    assert leap.age_on(date(2026, 2, 28)) == 13
    assert leap.age_on(date(2026, 3, 1)) == 14


def test_a_group_has_a_sane_age_range_and_an_orchestra_season(season, youth_group):
    bad = Group(season=season, name="X", slug="x", min_age=14, max_age=10)
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "max_age" in error.value.message_dict
    assert youth_group.admits_age(18) and not youth_group.admits_age(19)

    from tests.factories import PeriodFactory

    art_round = PeriodFactory()
    with pytest.raises(ValidationError) as error:
        Group(season=art_round, name="Y", slug="y", min_age=8, max_age=13).full_clean()
    assert "season" in error.value.message_dict


def test_add_member_records_instruments_groups_and_first_status(
    municipality, youth_group, project_leader
):
    member = services.add_member(
        first_name="Ada",
        last_name="Altfiolin",
        birth_date=born_years_ago(10),
        municipality=municipality,
        instruments=[
            services.PlayedInstrument(instrument("Viola")),
            services.PlayedInstrument(instrument("Piano"), years_played=2),
        ],
        groups=[youth_group],
        by=project_leader,
        origin=Member.Origin.SCHOOL_BAND,
        origin_name="Asker skolekorps",
    )
    played = list(member.member_instruments.order_by("-is_main", "pk"))
    assert [(p.instrument.name_en, p.is_main) for p in played] == [
        ("Viola", True),
        ("Piano", False),
    ]
    assert member.memberships.get().group == youth_group
    change = member.status_changes.get()
    assert (change.status, change.since, change.recorded_by) == (
        "applicant",
        timezone.localdate(),
        project_leader,
    )


def test_one_main_instrument_per_member(child):
    with pytest.raises(OrchestraError):
        services.set_instruments(
            member=child,
            instruments=[
                services.PlayedInstrument(instrument("Violin"), True),
                services.PlayedInstrument(instrument("Viola"), True),
            ],
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        MemberInstrument.objects.create(member=child, instrument=instrument("Viola"), is_main=True)


def test_status_history_and_the_current_status(child, project_leader):
    today = timezone.localdate()
    services.set_status(member=child, status="on_leave", since=today, by=project_leader)
    with pytest.raises(OrchestraError):
        services.set_status(member=child, status="on_leave", since=today, by=None)
    with pytest.raises(OrchestraError):
        services.set_status(
            member=child, status="active", since=today - timedelta(days=365), by=None
        )
    annotated = with_current_status(Member.objects.filter(pk=child.pk)).get()
    assert (annotated.current_status, annotated.status_since) == ("on_leave", today)
    assert list(child.status_changes.values_list("status", flat=True)) == ["on_leave", "active"]


def test_leaving_needs_a_reason_and_closes_the_memberships(child):
    today = timezone.localdate()
    with pytest.raises(OrchestraError):
        services.set_status(member=child, status="left", since=today, by=None)
    with pytest.raises(OrchestraError):
        services.set_status(member=child, status="active", reason="age_limit", by=None)
    services.set_status(
        member=child,
        status="left",
        since=today,
        reason="talent_programme",
        note="Young talent",
        by=None,
    )
    assert set(child.memberships.values_list("left_on", flat=True)) == {today}
    with transaction.atomic(), pytest.raises(IntegrityError):
        StatusChange.objects.create(member=child, status="left", since=today, reason="")


def test_members_with_status_takes_one_query(child, other_child, teen, django_assert_num_queries):
    services.set_status(member=teen, status="left", reason="age_limit", by=None)
    with django_assert_num_queries(1):
        left = list(members_with_status(["left"]))
    assert left == [teen]
    with django_assert_num_queries(1):
        active = {m.pk for m in members_with_status(["active", "on_leave"])}
    assert active == {child.pk, other_child.pk}


def test_a_known_guardian_is_linked_again_not_doubled(child, other_child):
    guardian = services.add_guardian(
        member=other_child,
        relation="mother",
        first_name="Gunn",
        last_name="Strykersen",
        email=" Guardian@Example.org ",
        by=None,
    )
    assert Guardian.objects.filter(email="guardian@example.org").count() == 1
    assert set(guardian.guardianships.values_list("member_id", flat=True)) == {
        child.pk,
        other_child.pk,
    }
    with pytest.raises(OrchestraError):
        services.link_guardian(member=child, guardian=guardian, relation="mother", by=None)


def test_a_guardian_login_has_the_guardian_role(child):
    guardian = services.add_guardian(
        member=child,
        relation="father",
        first_name="Far",
        last_name="S",
        email="far@example.org",
        by=None,
    )
    user = services.create_guardian_login(guardian=guardian, by=None)
    assert user.username == "far@example.org"
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["guardian"]
    with pytest.raises(OrchestraError):
        services.create_guardian_login(guardian=guardian, by=None)


def test_own_login_from_the_age_in_the_settings(child, teen, settings):
    with pytest.raises(OrchestraError, match="13"):
        services.create_member_login(member=child, username="child", by=None)
    user = services.create_member_login(member=teen, username="teen", by=None)
    assert Member.objects.get(user=user) == teen
    settings.ORCHESTRA_OWN_LOGIN_AGE = 11
    assert services.create_member_login(member=child, username="child", by=None).username == "child"


def test_the_model_refuses_a_login_for_a_young_member(child, guardian):
    child.user = guardian
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert "user" in error.value.message_dict


def test_consent_texts_are_versioned_and_fixed_once_published():
    first = services.create_consent_text(kind="membership", text_nb="Versjon 1")
    services.update_consent_text(text=first, text_nb="Versjon 1, rettet")
    services.publish_consent_text(text=first)
    with pytest.raises(OrchestraError):
        services.update_consent_text(text=first, text_nb="Endret")
    second = services.create_consent_text(kind="membership", text_nb="Versjon 2")
    assert (first.version, second.version) == (1, 2)
    assert current_consent_text("membership") == first
    services.publish_consent_text(text=second)
    assert current_consent_text("membership") == second
    first.refresh_from_db()
    assert first.text_nb == "Versjon 1, rettet"


def test_a_guardian_consents_for_their_own_child_only(
    child, other_child, guardian, other_guardian, photo_text
):
    own = Guardian.objects.get(user=guardian)
    acceptance = services.give_consent(text=photo_text, member=child, by=guardian, guardian=own)
    assert (acceptance.capacity, acceptance.guardian, acceptance.accepted_by) == (
        "guardian",
        own,
        guardian,
    )
    child.refresh_from_db()
    assert child.photo_consent
    again = services.give_consent(text=photo_text, member=child, by=guardian, guardian=own)
    assert again == acceptance
    with pytest.raises(OrchestraError):
        services.give_consent(text=photo_text, member=other_child, by=guardian, guardian=own)
    stranger = Guardian.objects.get(user=other_guardian)
    with pytest.raises(OrchestraError):
        services.give_consent(text=photo_text, member=child, by=guardian, guardian=stranger)


def test_a_member_consents_themself_from_the_age_in_the_settings(
    child, teen, member_user, photo_text, settings, project_leader
):
    acceptance = services.give_consent(text=photo_text, member=teen, by=member_user)
    assert acceptance.capacity == ConsentAcceptance.Capacity.MEMBER
    with pytest.raises(OrchestraError, match="15"):
        services.give_consent(text=photo_text, member=child, by=project_leader)
    settings.ORCHESTRA_SELF_CONSENT_AGE = 16
    with pytest.raises(OrchestraError, match="16"):
        services.give_consent(text=photo_text, member=teen, by=member_user)


def test_a_draft_cannot_be_accepted(child, guardian):
    draft = services.create_consent_text(kind=ConsentText.Kind.TRAVEL, text_nb="Utkast")
    with pytest.raises(OrchestraError):
        services.give_consent(
            text=draft, member=child, by=guardian, guardian=Guardian.objects.get(user=guardian)
        )


def test_no_child_name_in_the_log(caplog, municipality, youth_group, guardian, photo_text):
    caplog.set_level(logging.DEBUG)
    from tests.orchestra.factories import new_member

    member = new_member(CHILD_NAME, age=15, municipality=municipality, groups=[youth_group])
    record = services.add_guardian(
        member=member,
        relation="mother",
        first_name="G",
        last_name="H",
        email="g@example.org",
        by=None,
    )
    services.set_status(member=member, status="left", reason="music_line", by=None)
    services.create_member_login(member=member, username="login-of-a-child", by=None)
    services.give_consent(text=photo_text, member=member, by=member.user)
    services.create_guardian_login(guardian=record, by=None)
    assert caplog.records
    for name in CHILD_NAME:
        assert name not in caplog.text
