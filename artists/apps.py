from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArtistsConfig(AppConfig):
    name = "artists"
    verbose_name = _("Kunst rett vest")

    def ready(self):
        from artists.links import edition_links
        from events.panels import register_period_links

        register_period_links(edition_links)
