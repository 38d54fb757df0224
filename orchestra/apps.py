from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrchestraConfig(AppConfig):
    name = "orchestra"
    verbose_name = _("Youth symphony")

    def ready(self):
        import orchestra.notices  # noqa: F401  (who is told of a changed event)
        from orchestra import questions

        questions.register()  # seasons own question sets (core.questions)
        from core import menu
        from core.roles import Role
        from orchestra import policies

        staff = policies.ORCHESTRA_STAFF
        tutors = (Role.TUTOR,)
        # The last column marks a role's main tasks, shown first in the header (core.menu).
        for label, url_name, policy, order, *primary in [
            (_("My children"), "orchestra:my_children", policies.GUARDIAN, 50, True),
            (_("Attendance"), "orchestra:attendance_index", policies.TAKE_ATTENDANCE, 60, tutors),
            (_("Orchestra registrations"), "orchestra:applications", staff, 70, True),
            (_("Master classes"), "orchestra:master_classes", staff, 71),
            (_("My calendar"), "orchestra:my_calendar", policies.OWN_MEMBER_PAGES, 80, True),
            (_("Master classes"), "orchestra:my_master_classes", policies.OWN_MEMBER_PAGES, 81),
            (_("My consents"), "orchestra:my_consents", policies.OWN_CONSENTS, 82),
            (_("Concerts"), "orchestra:concert_planning", staff, 83),
            (_("Access log"), "orchestra:access_log", staff, 84),
            (_("Tours"), "orchestra:tours", policies.LEAD_TOURS, 85),
            (_("Erasure requests"), "orchestra:erasure_requests", staff, 95),
        ]:
            menu.register(
                label, url_name, policy, order=order, primary=primary[0] if primary else False
            )
        import orchestra.reminders  # noqa: F401  (registers its due reminders)
        import orchestra.retention  # noqa: F401  (declares its retention rules)
        from orchestra import audiences

        audiences.register()  # its audiences of messages to groups (core.audiences)
        import orchestra.stamps  # noqa: F401  (declares which writes bump which stamps)
        import orchestra.webhooks  # noqa: F401  (declares its webhook events)
        from events.panels import register_event_panel, register_programme_panel
        from events.reports import register_annual_report
        from orchestra.dashboard import register_panels
        from orchestra.reports import annual_report_sections
        from orchestra.services.attendance import connect_to_ticketing
        from orchestra.views.calendars import programme_groups_panel
        from orchestra.views.masterclasses import concert_panel
        from orchestra.views.tours import tour_panel

        connect_to_ticketing()
        register_panels()
        register_annual_report(annual_report_sections)
        register_event_panel(concert_panel)
        register_event_panel(tour_panel)
        register_programme_panel(programme_groups_panel)
