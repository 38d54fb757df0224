"""/api/v1/member-cards/: who may read which card (its code opens the door)."""

import pytest

from orchestra.services.attendance import issue_member_card

ROLES = [
    "anonymous", "nobody", "artist", "juror", "venue_host", "tutor", "guardian",
    "other_guardian", "member_user", "project_leader", "admin_user",
]  # fmt: skip


@pytest.fixture
def cards(season, child, other_child, member_user, teen, project_leader):
    return {
        member.pk: issue_member_card(member=member, season=season, by=project_leader)
        for member in (child, other_child, teen)
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_only_the_cards_it_may_print(
    request, api_as, cards, child, other_child, teen, check_schema, role
):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = api_as(user).get("/api/v1/member-cards/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    body = check_schema(response)
    seen = {row["member"] for row in body["results"]}
    expected = {
        "guardian": {child.pk},
        "other_guardian": {other_child.pk},
        "member_user": {teen.pk},
        "project_leader": {child.pk, other_child.pk, teen.pk},
        "admin_user": {child.pk, other_child.pk, teen.pk},
    }.get(role, set())
    assert seen == expected
    for row in body["results"]:
        assert row["code"] == cards[row["member"]].ticket.secret and row["valid"]


def test_a_replaced_card_is_no_longer_valid(api_as, season, child, guardian, project_leader):
    first = issue_member_card(member=child, season=season, by=project_leader)
    old_code = first.ticket.secret
    issue_member_card(member=child, season=season, by=project_leader, replace=True)
    rows = api_as(guardian).get("/api/v1/member-cards/").json()["results"]
    assert len(rows) == 1 and rows[0]["code"] != old_code and rows[0]["valid"]
