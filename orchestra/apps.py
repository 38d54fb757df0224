from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrchestraConfig(AppConfig):
    name = "orchestra"
    verbose_name = _("Youth symphony")

    def ready(self):
        from events.reports import register_annual_report
        from orchestra.reports import annual_report_sections
        from orchestra.services.attendance import connect_to_ticketing

        connect_to_ticketing()
        register_annual_report(annual_report_sections)
