"""Blind review on the loaded demo: no application names its applicant, and what a demo
juror is shown cannot be found in a public answer."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from artists.models import Application, ReviewPhase
from tests.artists.lookups import blind_review_problems
from tests.demo import demo_loaded


@pytest.fixture(scope="module")
def _demo_media(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with demo_loaded(django_db_blocker, media, "--quiet"):
        yield media


@pytest.fixture
def demo(_demo_media, db, settings):
    """The demo data, and its images where the demo stored them."""
    settings.MEDIA_ROOT = _demo_media


def name_variants(name: str) -> list[str]:
    """The artist's name as shown, and without the demo's running number."""
    words = name.split()
    return [name, " ".join(word for word in words if not word.isdigit())]


def test_no_demo_application_names_its_applicant(demo):
    applications = Application.objects.select_related("artist")
    assert applications.count() > 100
    named = [
        application.pk
        for application in applications
        for variant in name_variants(application.artist.name)
        for text in (application.statement, application.cv, application.previous_exhibitions)
        if variant in text
    ]
    assert not named, f"applications that name their applicant: {named[:10]}"


def test_a_demo_juror_is_shown_nothing_that_leads_back_to_the_applicant(client, demo):
    application = Application.objects.filter(call__period__slug="2016").select_related("call")
    call = application.first().call
    # The 2016 review phase, running now, for this test.
    now = timezone.now()
    ReviewPhase.objects.filter(call=call, kind=ReviewPhase.Kind.REVIEW).update(
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1)
    )
    first, second = application.filter(state=Application.State.SUBMITTED).order_by("pk")[:2]
    needles = [variant for a in (first, second) for variant in name_variants(a.artist.name)] + [
        first.artist.slug,
        second.artist.slug,
    ]
    juror = get_user_model().objects.get(username="jury")
    problems, images = blind_review_problems(
        client, juror, first, second, edition="2016", needles=needles
    )
    assert not problems, "\n".join(problems)
    assert images >= 2
