from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from events.api_types import require_json_types
        from events.roles import sync_role_groups

        require_json_types()

        # Permissions only exist after migrate has run, so the role groups get
        # their permissions here rather than in a data migration.
        post_migrate.connect(sync_role_groups, dispatch_uid="events.sync_role_groups")
