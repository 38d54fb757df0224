"""Writes that send no signal (QuerySet.update(), bulk_create(), bulk_update()) on a model
with change stamps (core.stamps.register) are each declared here: either the service
bumps the stamps itself (bump_for), or the fields it writes show in no cached page.

A new such write fails this test until it is declared: review it, then bump or explain.
Written through a model's manager (``Model.objects...``); found in the source with ast.
"""

import ast
from pathlib import Path

from django.apps import apps

from core.stamps import registered

REPO = Path(__file__).resolve().parents[2]
APPS = ("artists", "core", "events", "orchestra", "ticketing")
BULK_WRITES = {"update", "bulk_create", "bulk_update"}

# The service calls bump_for() on what it wrote (tested where the page is tested).
BUMPS = {
    ("orchestra/services/members.py", "MemberInstrument"),  # set_instruments
    ("artists/services/profiles.py", "ArtistImage"),  # move_work_image
}
# What they write shows in no cached page or feed.
SHOWS_NOTHING = {
    ("orchestra/services/members.py", "Member"): "medical notes",
    ("orchestra/services/members.py", "TourParticipant"): "medical notes",
    ("orchestra/services/retention.py", "MasterClassSignUp"): "who signed the child up",
    ("orchestra/services/retention.py", "TourParticipant"): "trip data, contacts, login",
    ("orchestra/services/retention.py", "StatusChange"): "the note and who recorded it",
    ("artists/services/retention.py", "Application"): "statement, CV and exhibitions",
    ("artists/services/retention.py", "Artist"): "login, email and phone",
    ("ticketing/retention.py", "Registration"): "the buyer's name and contacts",
    ("ticketing/payments/services.py", "Registration"): "the end of a payment's hold",
}


def manager_model(node: ast.AST) -> str | None:
    """Return X of an ``X.objects...`` chain, if the call is made on one."""
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            return node.value.id if isinstance(node.value, ast.Name) else None
        node = node.func if isinstance(node, ast.Call) else node.value
    return None


def bulk_writes() -> set[tuple[str, str]]:
    found = set()
    for app in APPS:
        for path in sorted((REPO / app).rglob("*.py")):
            if "migrations" in path.parts or "demo" in path.name:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in BULK_WRITES
                ):
                    model = manager_model(node.func.value)
                    if model is not None:
                        found.add((str(path.relative_to(REPO)), model))
    return found


def test_every_bulk_write_on_a_model_with_stamps_is_declared():
    with_stamps = {model.__name__ for model in registered()}
    on_stamped = {(path, model) for path, model in bulk_writes() if model in with_stamps}
    assert on_stamped == BUMPS | set(SHOWS_NOTHING)


def test_the_declared_bumps_are_made():
    for path, _model in BUMPS:
        assert "bump_for(" in (REPO / path).read_text(), path


def test_the_declared_models_have_stamps():
    labels = {model._meta.label for model in registered()}
    for _path, name in BUMPS | set(SHOWS_NOTHING):
        assert any(label.endswith(f".{name}") for label in labels), name
    assert apps.get_model("core", "ChangeStamp") not in registered()
