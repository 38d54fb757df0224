"""Pass expired waitlist offers on to the next in line, by hand: beat runs the same every
5 minutes (ticketing.tasks.expire_waitlist_offers)."""

from django.core.management.base import BaseCommand

from ticketing.services import expire_waitlist_offers


class Command(BaseCommand):
    help = "Cancel waitlisted registrations whose offered places expired, and offer them on."

    def handle(self, *args, **options):
        expired = expire_waitlist_offers()
        self.stdout.write(f"Expired waitlist offers: {expired}")
