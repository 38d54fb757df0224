from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrchestraConfig(AppConfig):
    name = "orchestra"
    verbose_name = _("Youth symphony")

    def ready(self):
        import orchestra.retention  # noqa: F401  (declares its retention rules)
        from events.panels import register_event_panel
        from events.reports import register_annual_report
        from orchestra.reports import annual_report_sections
        from orchestra.services.attendance import connect_to_ticketing
        from orchestra.views.masterclasses import concert_panel
        from orchestra.views.tours import tour_panel

        connect_to_ticketing()
        register_annual_report(annual_report_sections)
        register_event_panel(concert_panel)
        register_event_panel(tour_panel)
