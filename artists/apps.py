from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArtistsConfig(AppConfig):
    name = "artists"
    verbose_name = _("Kunst rett vest")

    def ready(self):
        from artists import policies
        from core import menu

        menu.register(_("My profile"), "artists:profile", policies.OWN_ARTIST_PAGES, order=10)
        menu.register(
            _("My applications"), "artists:applications", policies.OWN_ARTIST_PAGES, order=11
        )
        menu.register(_("Jury"), "artists:jury", policies.JURY, order=20)
        menu.register(_("Visitor count"), "artists:tally_index", policies.COUNT_VISITORS, order=40)
        menu.register(_("Statistics"), "artists:statistics", policies.ART_ROUND_STAFF, order=90)
        from django.db.models.signals import post_delete

        import artists.retention  # noqa: F401  (declares its retention rules)
        from artists.dashboard import register_panels
        from artists.links import edition_links
        from artists.models import ApplicationImage
        from artists.reports import annual_report_sections
        from artists.services.jury import delete_review_copies
        from events.panels import register_period_links
        from events.reports import register_annual_report

        register_period_links(edition_links)
        register_panels()
        register_annual_report(annual_report_sections)
        post_delete.connect(
            delete_review_copies, sender=ApplicationImage, dispatch_uid="artists.review_copies"
        )
