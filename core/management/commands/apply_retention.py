"""Run every retention rule for today, by hand (beat runs core.tasks.apply_retention
nightly); --dry-run only says what each rule would clear. Each rule is safe to run twice:
what is cleared is not found again."""

from django.core.management.base import BaseCommand

from core.retention import apply_retention


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what each rule would clear (kinds and ids), and change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        for run in apply_retention(dry_run=dry_run):
            if dry_run:
                ids = ", ".join(f"{record.kind}#{record.pk}" for record in run.records)
                self.stdout.write(
                    f"{run.rule.key}: would clear {len(run.records)} record(s)"
                    + (f": {ids}" if ids else ".")
                )
            else:
                self.stdout.write(f"{run.rule.key}: cleared {run.cleared} record(s).")
