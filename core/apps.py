from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The platform every app builds on: roles and policies, the API's plumbing, rate
    limits, the login throttle, health, media, mail, retention and the demo loader."""

    name = "core"
    verbose_name = _("Platform")

    def ready(self):
        from core import dashboard, group_messages, mail, menu, policies, stamps, webhooks
        from core.api_types import require_json_types
        from core.roles import sync_role_groups

        require_json_types()
        stamps.connect_signals()
        menu.register(_("Overview"), "core:dashboard", policies.LOGGED_IN, order=0, primary=True)
        menu.register(_("Retention"), "retention", policies.MANAGE_RETENTION, order=96)
        menu.register(_("Outgoing email"), "core:outbound_messages", policies.STAFF, order=97)
        menu.register(_("Reminders"), "core:reminders", policies.STAFF, order=97)
        menu.register(
            _("How we reach you"), "core:contact_preferences", policies.LOGGED_IN, order=95
        )
        menu.register(_("Webhooks"), "core:webhook_endpoints", policies.STAFF, order=98)
        menu.register(
            _("Messages to groups"), "core:group_messages", policies.GROUP_MESSAGES, order=93
        )
        menu.register(_("Messages to me"), "core:my_messages", policies.MESSAGES_TO_ME, order=94)
        dashboard.register(
            "core.messages_to_me",
            _("Messages to you"),
            "core/dashboard/messages_to_me.html",
            policies.MESSAGES_TO_ME,
            order=20,
            context=group_messages.messages_to_me_panel,
        )
        dashboard.register(
            "core.failed_messages",
            _("Messages that failed"),
            "core/dashboard/failed_messages.html",
            policies.STAFF,
            order=90,
            context=mail.failed_messages_panel,
        )
        dashboard.register(
            "core.webhooks",
            _("Webhooks that need attention"),
            "core/dashboard/webhooks.html",
            policies.STAFF,
            order=91,
            context=webhooks.webhooks_panel,
        )
        menu.register(_("Administration"), "admin:index", policies.ADMIN_SITE, order=99)

        from django.db.models.signals import post_delete, post_save

        from core.models import WebhookEndpoint
        from core.webhooks import forget_endpoints

        for signal in (post_save, post_delete):
            signal.connect(forget_endpoints, sender=WebhookEndpoint, dispatch_uid="core.webhooks")

        # Permissions only exist after migrate has run, so the role groups get
        # their permissions here rather than in a data migration.
        post_migrate.connect(sync_role_groups, dispatch_uid="core.sync_role_groups")
