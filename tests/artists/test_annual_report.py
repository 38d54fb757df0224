"""The annual report page: Norwegian sentences with Norwegian number formatting, to print."""

from datetime import date, time

import pytest
from django.conf import settings
from django.urls import reverse

from artists.models import Exhibition
from artists.services.tallies import record_tally
from events.models import Event
from tests.artists.factories import ExhibitionFactory, ExhibitionHoursFactory, municipality
from tests.conftest import ROLE_FIXTURES
from tests.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db

STAFF = {"admin_user", "project_leader"}


def report(client, edition) -> str:
    response = client.get(reverse("artists:annual_report", args=[edition.slug]))
    assert response.status_code == 200
    return response.content.decode()


def plain(html: str) -> str:
    """The page with its no-break spaces read as spaces."""
    return html.replace("\xa0", " ")


def test_the_2016_figures_as_the_annual_report_prints_them(admin_client, real_2016):
    html = report(admin_client, real_2016)

    # Thousands are separated by a no-break space, as Norwegian writes them.
    assert "4\xa0250 besøk i fellesutstillingen, av disse 750 elever" in html
    text = plain(html)
    assert "4 250 besøk i fellesutstillingen, av disse 750 elever" in text
    assert "14 300 besøk i 109 åpne atelierer" in text
    assert "Kunst for kr 970 000 ble solgt" in text
    assert "153 000 besøk 2007–2016" in text
    assert "2 kunstnere deltok, av 3 søkere" in text


def test_report_of_a_counted_edition(admin_client, counted_2016, edition_2016, earlier_editions):
    text = plain(report(admin_client, edition_2016))

    assert "80 besøk i fellesutstillingen, av disse 23 elever." in text
    assert "11 besøk i den lokale fellesutstillingen «Fengslet»." in text
    assert "39 besøk i 2 åpne atelierer, i snitt 20 per atelier." in text
    assert "Til sammen 130 besøk." in text
    assert "Det er 10 flere besøk enn i 2015 (+8,3 %)." in text
    assert "Kunst for kr 17 000 ble solgt (2 salg)." in text
    assert "6 besøkende registrerte seg med QR-kode" in text
    assert "Totalt 370 besøk 2014–2016." in text
    # Sales are totals only: no artist's sale, no work sold.
    assert "12 000" not in text and "Krukke" not in text


def test_report_of_a_falling_reported_year(admin_client, counted_2016, earlier_editions):
    text = plain(report(admin_client, earlier_editions[2017]))

    assert "60 besøk i fellesutstillingen." in text
    assert "20 besøk i åpne atelierer." in text
    assert "Det er 50 færre besøk enn i 2016 (−38,5 %)." in text
    assert "Totalt 450 besøk 2014–2017." in text
    assert "rapporterte tall (Årsmelding)" in text
    assert "QR-kode" not in text


def test_report_of_an_edition_without_figures(admin_client, edition_2016):
    text = report(admin_client, edition_2016)

    assert "Ingen tall er registrert for denne utgaven ennå." in text


def test_report_is_norwegian_whatever_the_language_and_prints(admin_client, real_2016):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = report(admin_client, real_2016)

    assert '<article class="annual-report" lang="nb">' in html
    assert "4\xa0250 besøk i fellesutstillingen" in html
    assert "artists/statistics.css" in html


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_only_staff_read_the_annual_report(role, request, client, edition_2016):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("artists:annual_report", args=[edition_2016.slug]))

    assert response.status_code == (200 if role in STAFF else 403)


def test_anonymous_visitors_log_in_first(client, edition_2016):
    response = client.get(reverse("artists:annual_report", args=[edition_2016.slug]))

    assert response.status_code == 302


def test_each_local_exhibition_is_named(admin_client, counted_2016, edition_2016, venue_host):
    event = EventFactory(
        period=edition_2016,
        kind=Event.Kind.EXHIBITION,
        title_nb="Støa",
        venue=VenueFactory(name="Støa", municipality=municipality("3203")),
    )
    stoa = ExhibitionFactory(event=event, role=Exhibition.Role.LOCAL)
    ExhibitionHoursFactory(exhibition=stoa, date=date(2016, 9, 18), opens=time(12), closes=time(16))
    event.hosts.add(venue_host)
    record_tally(by=venue_host, place=stoa, day=date(2016, 9, 18), visitors=300)

    text = plain(report(admin_client, edition_2016))

    assert "311 besøk i de lokale fellesutstillingene (Fengslet: 11; Støa: 300)." in text
