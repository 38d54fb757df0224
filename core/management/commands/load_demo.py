"""Load the demo: one login per role, then each app's demo data, in INSTALLED_APPS order.

Every person is synthetic. Rows are found by natural keys (usernames, slugs, venue name
and municipality, and fixed calendar UIDs for events) and saved only when a value
differs, so a second run changes nothing: no new rows, no new revisions for calendar
subscribers. The apps' demo modules (events.demo first, then ticketing, artists and
orchestra) hold the data; this command holds the logins and the machinery they share.
"""

from collections import Counter
from contextlib import ExitStack
from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import translation
from django.utils.module_loading import module_has_submodule

from core import demo
from core.roles import Role

DEMO_PASSWORD = "demo"  # noqa: S105 -- public by design, printed for every demo login

# username, role (None: the secretariat, a superuser), is_staff, last name
DEMO_USERS = [
    ("sekretariat", None, True, "Sekretariat"),
    ("leder", Role.PROJECT_LEADER, True, "Prosjektleder"),
    ("jury", Role.JUROR, False, "Jurymedlem"),
    ("jury2", Role.JUROR, False, "Jurymedlem to"),
    ("jury3", Role.JUROR, False, "Jurymedlem tre"),
    ("kunstner", Role.ARTIST, False, "Kunstner"),
    ("vert", Role.VENUE_HOST, False, "Vert"),
    ("forelder", Role.GUARDIAN, False, "Forelder"),
    ("dirigent", Role.TUTOR, False, "Dirigent"),
    # No role group: the orchestra's demo makes them a tour leader and a member 13+.
    ("turleder", "", False, "Turleder"),
    ("medlem", "", False, "Medlem"),
]
# The README's "Try this first": who, where, and what to do there.
TRY_FIRST = [
    ("anyone", "/events/", "register for the next concert; vert scans it at /checkin/"),
    ("jury", "/jury/", "score the next application of the call in review"),
    ("forelder", "/foresatt/fravaer/", "answer for this weekend's rehearsals"),
    ("vert", "/telling/", "count visitors at the joint exhibition"),
    ("kunstner", "/kunstner/atelier/", "change this weekend's studio hours"),
]
# What the logins without a role group are, for the table of demo logins.
DEMO_LABELS = {"turleder": "Tour leader (study trip)", "medlem": "Orchestra member, own login"}


class Command(BaseCommand):
    help = "Load the demo data: logins for every role, programmes, venues and events."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (the demo logins have the password 'demo').",
        )

    def handle(self, *args, quiet=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: the demo creates logins with the password 'demo', "
                "among them a superuser. Use --force if this is not a public site."
            )
        self.changes = Counter()
        # How far the demo's dates moved since the last run (events.demo sets it).
        self.moved_by = timedelta(0)
        with transaction.atomic(), ExitStack() as stack:
            for factory in demo.load_contexts():
                stack.enter_context(factory())
            self.load_users()
            self.load_apps()
        if not quiet:
            self.report()

    # --- saving -------------------------------------------------------------------

    def upsert(self, model, lookup: dict, values: dict, on_create=None):
        """Create the row or bring it up to date, saving only when a value differs."""
        with translation.override("en"):
            label = str(model._meta.verbose_name_plural)
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            if on_create is not None:
                on_create(instance)
            instance.full_clean()
            instance.save()
            self.changes[(label, "created")] += 1
            return instance
        changed = []
        for name, value in values.items():
            attname = model._meta.get_field(name).attname
            wanted = value.pk if isinstance(value, models.Model) else value
            if getattr(instance, attname) != wanted:
                setattr(instance, name, value)
                changed.append(name)
        if changed:
            instance.full_clean()
            instance.save(update_fields=changed)
            self.changes[(label, "updated")] += 1
        return instance

    def load_users(self):
        User = get_user_model()
        for username, role, is_staff, last_name in DEMO_USERS:
            user = self.upsert(
                User,
                {"username": username},
                {
                    "first_name": "Demo",
                    "last_name": last_name,
                    "email": f"{username}@example.org",
                    "is_staff": is_staff,
                    "is_superuser": role is None,
                    "is_active": True,
                },
                on_create=lambda new_user: new_user.set_password(DEMO_PASSWORD),
            )
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                self.changes[("passwords", "set")] += 1
            groups = [Group.objects.get_or_create(name=role)[0]] if role else []
            if set(user.groups.all()) != set(groups):
                user.groups.set(groups)
                self.changes[("role memberships", "set")] += 1

    def load_apps(self) -> None:
        """Let each app with a `demo` module add its demo data: demo.load(command).

        INSTALLED_APPS order: the events core's programmes and events come first, and
        the apps build on them (found with `Event.objects.get(uid=demo_uid(key))`),
        saving through `command.upsert`. core.demo holds the helpers the demo modules
        share, not data.
        """
        for app in apps.get_app_configs():
            if app.name != "core" and module_has_submodule(app.module, "demo"):
                import_module(f"{app.name}.demo").load(self)

    # --- output -------------------------------------------------------------------

    def report(self) -> None:
        if self.changes:
            for (label, action), count in sorted(self.changes.items()):
                self.stdout.write(f"  {label}: {count} {action}")
        else:
            self.stdout.write("Demo data is up to date: nothing changed.")
        rows = []
        with translation.override("en"):
            for username, role, _is_staff, _last_name in DEMO_USERS:
                label = (
                    str(role.label)
                    if role
                    else DEMO_LABELS.get(username, "Secretariat (superuser)")
                )
                rows.append((username, label, DEMO_PASSWORD))
        table = [("username", "role", "password"), *rows]
        widths = [max(len(row[column]) for row in table) for column in range(3)]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo logins"))
        for row in table:
            self.stdout.write(
                "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            )
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(f"  Site:     {site}/")
        self.stdout.write(f"  Admin:    {site}/admin/")
        self.stdout.write(f"  API docs: {site}/api/v1/docs/")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Try this first"))
        for number, (username, path, what) in enumerate(TRY_FIRST, start=1):
            self.stdout.write(f"  {number}. {username}: {site}{path} - {what}")
