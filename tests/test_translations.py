"""The Norwegian catalogue is complete, and the compiled catalogue matches it."""

import gettext
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "nb" / "LC_MESSAGES"


def entries():
    return [entry for entry in polib.pofile(str(CATALOGUE / "django.po")) if not entry.obsolete]


def test_every_norwegian_string_is_translated_and_checked():
    untranslated = [entry.msgid for entry in entries() if not entry.translated()]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = []
    for entry in entries():
        if entry.msgid_plural:
            translated = catalogue.ngettext(entry.msgid, entry.msgid_plural, 1)
            expected = entry.msgstr_plural[0]
        elif entry.msgctxt:
            translated = catalogue.pgettext(entry.msgctxt, entry.msgid)
            expected = entry.msgstr
        else:
            translated = catalogue.gettext(entry.msgid)
            expected = entry.msgstr
        if translated != expected:
            stale.append(entry.msgid)
    assert stale == [], "run `make messages` to compile the catalogue"
