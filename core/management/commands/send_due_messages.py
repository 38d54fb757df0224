from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from core import due


class Command(BaseCommand):
    help = (
        "Send every change notice, reminder and scheduled message that is due now, each "
        "once (Celery beat runs this every minute)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at", help="Act as if it were this moment (ISO 8601 with a time zone)."
        )
        parser.add_argument("--only", default="", help="Run this sender only.")

    def handle(self, *args, at=None, only="", **options):
        now = None
        if at:
            now = parse_datetime(at)
            if now is None or now.tzinfo is None:
                raise CommandError(
                    "--at takes a moment with a time zone, e.g. 2027-03-01T08:00+01:00"
                )
        keys = [sender.key for sender in due.senders()]
        if only and only not in keys:
            raise CommandError(f"No sender {only!r}; there are: {', '.join(keys) or 'none'}")
        runs = due.send_due_messages(now, only=only)
        for run in runs:
            line = f"{run.key}: {run.queued}"
            if run.error:
                self.stderr.write(f"{line} (failed: {run.error})")
            else:
                self.stdout.write(line)
        if any(run.error for run in runs):
            raise CommandError("A sender failed; the others ran.")
