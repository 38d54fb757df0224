"""The programme page links each art-round edition's public pages, in constant queries."""

from django.urls import reverse

from artists.services import studios as studio_services
from tests.factories import PeriodFactory


def programme_page(client, edition):
    return client.get(reverse("events:programme_detail", args=[edition.programme.slug]))


def test_an_edition_links_its_artists_exhibitions_and_published_studios(
    client, edition, joint_exhibition, studio
):
    page = programme_page(client, edition).content.decode()
    for name in ("directory", "exhibitions", "catalogue"):
        assert reverse(f"artists:{name}", args=[edition.slug]) in page
    # The studio's number is not published: its address may be the artist's home.
    assert reverse("artists:studio_map", args=[edition.slug]) not in page
    studio_services.publish_studio_numbers(edition=edition)
    page = programme_page(client, edition).content.decode()
    assert reverse("artists:studios", args=[edition.slug]) in page
    assert reverse("artists:studio_map", args=[edition.slug]) in page


def test_an_edition_with_nothing_to_show_has_no_links(client, edition):
    edition.call.delete()
    page = programme_page(client, edition).content.decode()
    assert reverse("artists:directory", args=[edition.slug]) not in page


def test_the_links_take_the_same_queries_for_many_editions(
    client, edition, joint_exhibition, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        programme_page(client, edition)
    for year in range(2007, 2016):
        PeriodFactory(programme=edition.programme, slug=str(year), name=f"KRV {year}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        programme_page(client, edition)
