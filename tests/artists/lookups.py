"""Reading what the site answers, for the blind review's tests: the text and addresses of
a page's main content, the strings of a JSON answer, and every public answer about some
artists with the media files they link to."""

import io
import json
import re
from html.parser import HTMLParser

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from artists.models import ArtistImage

URL_ATTRIBUTES = {"src", "href", "srcset", "poster", "data-src", "action"}
TEXT_ATTRIBUTES = {"alt", "title", "aria-label"}


class MainContent(HTMLParser):
    """The text and the addresses inside a page's <main>."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.texts: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if not self.depth:
            return
        for name, value in attrs:
            if not value:
                continue
            if name in URL_ATTRIBUTES:
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name in TEXT_ATTRIBUTES:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts += [line.strip() for line in data.splitlines() if line.strip()]


def page_content(client, url) -> MainContent:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = MainContent()
    parser.feed(response.content.decode())
    return parser


def json_strings(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in json_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in json_strings(item)]
    return [value] if isinstance(value, str) else []


def own_urls(urls) -> set[str]:
    """The addresses of an answer, without the site's own static files and the fragments."""
    return {
        url
        for url in urls
        if url and not url.startswith(("#", "/" + settings.STATIC_URL.lstrip("/")))
    }


def juror_answers(client, application) -> tuple[set[str], set[str]]:
    """Return the texts and the addresses the juror is shown about one application."""
    review = reverse("artists:jury_review", args=[application.call_id, application.pk])
    listing = reverse("artists:jury_list", args=[application.call_id])
    texts, urls = set(), set()
    for url in (review, listing):
        content = page_content(client, url)
        texts |= set(content.texts)
        urls |= own_urls(content.urls)
    return texts, urls


def jury_api_answers(client) -> tuple[set[str], set[str]]:
    strings = []
    for url in ("/api/v1/reviews/", "/api/v1/conflicts/"):
        response = client.get(url)
        assert response.status_code == 200, url
        strings += json_strings(response.json())
    urls = {text for text in strings if text.startswith(("http", "/"))}
    return {text for text in set(strings) - urls if len(text) >= 3}, urls


def public_answers(client, applicants, edition: str) -> tuple[str, dict[str, bytes]]:
    """Return every public answer about the applicants as one text, and the media they link:
    their pages, the edition's directory, the API's artists, images and works."""
    urls = [reverse("artists:artist_detail", args=[artist.slug]) for artist in applicants] + [
        reverse("artists:directory", args=[edition]),
        "/api/v1/artists/?page_size=100",
        "/api/v1/artist-images/?page_size=100",
        "/api/v1/works/?page_size=100",
        *(f"/api/v1/artists/{artist.pk}/" for artist in applicants),
        *(
            f"/api/v1/artist-images/{image.pk}/"
            for image in ArtistImage.objects.filter(artist__in=applicants)
        ),
    ]
    texts = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
        if response["Content-Type"].startswith("application/json"):
            texts.append(" ".join(json_strings(response.json())))
    text = "\n".join(texts)
    media_prefix = "/" + settings.MEDIA_URL.lstrip("/")
    media = {}
    for path in set(re.findall(re.escape(media_prefix) + r"[^\"'\s)<>]+", text)):
        name = path.removeprefix(media_prefix)
        if default_storage.exists(name):
            with default_storage.open(name) as file:
                media[path] = file.read()
    assert media, "the public answers link to the gallery's images"
    return text, media


SEPARATORS = re.compile(r"\s*[·,;|()]\s*")


def specific(texts: set[str], other: set[str]) -> set[str]:
    """The strings about this application only: not on the other application's pages too.

    A string is also taken apart where a caption joins facts ("Title, 2013", "oil · 60 cm").
    """
    texts = texts | {part for text in texts for part in SEPARATORS.split(text)}
    other = other | {part for text in other for part in SEPARATORS.split(text)}
    return {text for text in texts - other if len(text) >= 3}


def blind_review_problems(client, juror, first, second, *, edition, needles) -> tuple[list, int]:
    """Look what a juror is shown about two applications up in every public answer.

    The juror's answers: the list, both review pages, the images they show, the jury API.
    A string of them that belongs to one application (it is not on the other's pages), or
    any address they hold, found in a public answer about the applicants is a problem; so
    is an image with a public file's bytes, with metadata, or with one of the ``needles``
    (names) in its bytes or headers. Return the problems and how many images were read.
    """
    client.force_login(juror)
    first_texts, first_urls = juror_answers(client, first)
    second_texts, second_urls = juror_answers(client, second)
    api_texts, api_urls = jury_api_answers(client)
    client.logout()
    public_text, public_media = public_answers(client, [first.artist, second.artist], edition)
    public_lower = public_text.lower()
    problems = []

    identifying = specific(first_texts, second_texts) | specific(second_texts, first_texts)
    for text in sorted(identifying | api_texts):
        if text.lower() in public_lower:
            problems.append(f"a string of the jury's answers in a public answer: {text!r}")
    for url in sorted(first_urls | second_urls | api_urls):
        if url in public_text:
            problems.append(f"an address of the jury's answers in a public answer: {url}")

    client.force_login(juror)
    media_prefix = "/" + settings.MEDIA_URL.lstrip("/")
    public_bytes = set(public_media.values())
    images = 0
    for url in sorted(first_urls | second_urls):
        if url.startswith(media_prefix):
            problems.append(f"{url}: a public media file")
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        if not response["Content-Type"].startswith("image/"):
            continue
        images += 1
        data = b"".join(response.streaming_content) if response.streaming else response.content
        if data in public_bytes:
            problems.append(f"{url}: the same bytes as a public file")
        headers = json.dumps(dict(response.items()), ensure_ascii=False)
        for needle in needles:
            if needle.encode() in data or needle in headers:
                problems.append(f"{url}: {needle!r} in the file or its headers")
        image = Image.open(io.BytesIO(data))
        if image.getexif():
            problems.append(f"{url}: EXIF")
        metadata = set(image.info) - {"loop", "duration", "background", "timestamp"}
        if metadata:
            problems.append(f"{url}: metadata {sorted(metadata)}")
    client.logout()
    return problems, images
