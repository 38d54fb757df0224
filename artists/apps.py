from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArtistsConfig(AppConfig):
    name = "artists"
    verbose_name = _("Kunst rett vest")

    def ready(self):
        import artists.retention  # noqa: F401  (declares its retention rules)
        from artists.links import edition_links
        from artists.reports import annual_report_sections
        from events.panels import register_period_links
        from events.reports import register_annual_report

        register_period_links(edition_links)
        register_annual_report(annual_report_sections)
