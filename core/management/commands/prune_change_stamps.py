"""Delete the change-stamp rows no longer needed (the nightly job; core.stamps): those
older than a day that are not their key's newest. Safe to run twice."""

from django.core.management.base import BaseCommand

from core.stamps import prune_change_stamps


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {prune_change_stamps()} change-stamp row(s).")
