from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from core.demo import register_load_context
        from events.notices import unrecorded  # records change sets, sends the due ones

        register_load_context(unrecorded)
        import events.stamps  # noqa: F401  (declares which writes bump which stamps)
        from events import audiences

        audiences.register()  # its audiences of messages to groups (core.audiences)
        from core import menu
        from events import policies

        menu.register(
            _("Annual report"), "events:annual_report", policies.READ_ANNUAL_REPORT, order=91
        )
        from django.db.models.signals import post_save

        from events import webhooks
        from events.models import Event

        post_save.connect(webhooks.event_saved, sender=Event, dispatch_uid="events.webhooks")
