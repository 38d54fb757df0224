"""The annual report for a year gathers every programme's sentences; staff only."""

import pytest
from django.urls import reverse

from events.reports import ReportSection, annual_report, register_annual_report
from tests.conftest import ROLE_FIXTURES


def test_providers_contribute_sections_for_the_year(monkeypatch):
    from events import reports

    monkeypatch.setattr(reports, "_providers", [])
    register_annual_report(lambda year: [ReportSection("Orkester", [f"{year}: 3 konserter."])])
    register_annual_report(lambda year: [] if year != 2016 else [ReportSection("Kunst", ["x"])])
    assert [s.title for s in annual_report(2016)] == ["Orkester", "Kunst"]
    assert annual_report(2017) == [ReportSection("Orkester", ["2017: 3 konserter."])]


@pytest.mark.parametrize("role", [*ROLE_FIXTURES, None])
def test_only_staff_read_the_annual_report(request, client, role):
    user = request.getfixturevalue(role) if role else None
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("events:annual_report_year", args=[2016]))
    if user is None:
        assert response.status_code == 302
    elif role in ("admin_user", "project_leader"):
        assert response.status_code == 200
    else:
        assert response.status_code == 403
