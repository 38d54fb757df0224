from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Ticketing")

    def ready(self):
        import ticketing.notices  # noqa: F401  (who is told of a changed event)
        from core import menu
        from ticketing import policies

        menu.register(
            _("Check-in"), "ticketing:scanner_index", policies.SCAN_AT_LIST, order=30, primary=True
        )
        import ticketing.payments.services  # noqa: F401  (frees unpaid holds, core.due)
        import ticketing.reminders  # noqa: F401  (registers its due reminders)
        import ticketing.retention  # noqa: F401  (declares its retention rules)
        from ticketing import audiences

        audiences.register()  # its audiences of messages to groups (core.audiences)
        import ticketing.webhooks  # noqa: F401  (declares its webhook events)
        from events.panels import register_event_panel
        from ticketing.dashboard import register_panels
        from ticketing.views import event_panel

        register_event_panel(event_panel)
        register_panels()
        from ticketing import questions

        questions.register()  # offers own question sets (core.questions)
