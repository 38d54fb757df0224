from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArtistsConfig(AppConfig):
    name = "artists"
    verbose_name = _("Kunst rett vest")

    def ready(self):
        import artists.notices  # noqa: F401  (who is told of a changed event)
        from artists import policies
        from core import menu
        from core.roles import Role

        # primary: a role's main tasks, shown first in the header (core.menu).
        own = policies.OWN_ARTIST_PAGES
        menu.register(_("My profile"), "artists:profile", own, order=10, primary=True)
        menu.register(_("My applications"), "artists:applications", own, order=11, primary=True)
        menu.register(_("Jury"), "artists:jury", policies.JURY, order=20, primary=(Role.JUROR,))
        menu.register(
            _("Visitor count"),
            "artists:tally_index",
            policies.COUNT_VISITORS,
            order=40,
            primary=(Role.VENUE_HOST, Role.ARTIST),
        )
        menu.register(
            _("Statistics"), "artists:statistics", policies.ART_ROUND_STAFF, order=90, primary=True
        )
        from django.db.models.signals import post_delete

        import artists.reminders  # noqa: F401  (registers its due reminders)
        from artists import questions

        questions.register()  # calls own question sets (core.questions)
        import artists.retention  # noqa: F401  (declares its retention rules)
        import artists.stamps  # noqa: F401  (declares which writes bump which stamps)
        import artists.webhooks  # noqa: F401  (declares its webhook events)
        from artists.dashboard import register_panels
        from artists.links import edition_links
        from artists.models import ApplicationImage
        from artists.reports import annual_report_sections
        from artists.services.jury import delete_review_copies
        from events.panels import register_period_links
        from events.reports import register_annual_report

        register_period_links(edition_links)
        from artists import audiences

        audiences.register()  # its audiences of messages to groups (core.audiences)
        register_panels()
        register_annual_report(annual_report_sections)
        post_delete.connect(
            delete_review_copies, sender=ApplicationImage, dispatch_uid="artists.review_copies"
        )
