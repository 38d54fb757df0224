"""Anonymise the orchestra members who left more than ORCHESTRA_RETENTION_MONTHS ago.

Kept for existing cron lines; ``manage.py apply_retention`` runs this rule and all others.
"""

from django.core.management.base import BaseCommand

from orchestra.services.retention import anonymise_departed_members


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        result = anonymise_departed_members()
        self.stdout.write(
            f"Anonymised {result.members} member(s); deleted {result.guardians} guardian(s)."
        )
