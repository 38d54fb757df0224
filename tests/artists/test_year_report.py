"""The art round's sentences in the annual report of a year (events.reports)."""

from django.urls import reverse


def test_the_art_round_writes_its_sentences_into_the_year(client, project_leader, real_2016):
    client.force_login(project_leader)
    response = client.get(reverse("events:annual_report_year", args=[2016]))
    text = response.content.decode().replace("\xa0", " ")
    assert "Kunst rett vest 2016" in text
    assert "4 250 besøk i fellesutstillingen, av disse 750 elever." in text
    assert "14 300 besøk i 109 åpne atelierer" in text
    assert "Kunst for kr 970 000 ble solgt" in text
    assert "Totalt 153 000 besøk 2007–2016." in text
    other_year = client.get(reverse("events:annual_report_year", args=[2015]))
    assert "4\xa0250 besøk" not in other_year.content.decode()
    assert "2007–2015" in other_year.content.decode()
