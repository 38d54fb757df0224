"""The permission matrix: what each role gets from each URL of the site.

- PARAMS, QUERY, API_OBJECTS: how a pattern's parameters are filled from the world
  (tests/permissions/world.py);
- NAMES_VISIBLE_TO: which members' names a role may read anywhere (SPEC.md, "Children's
  data": staff, the member's own guardians, the tutors of their sessions; the tour
  leaders read the players of their tour; a member with a login reads themself); and in
  the same way MEDICAL_VISIBLE_TO and PRIVATE_VISIBLE_TO for other private data;
- rules (a status per role: STAFF_ONLY, allow(...), not_found_to_others(...)) and
  EXPECTED, the rule of the admin's URL patterns, from ADMIN_MODELS, one line per
  registered model (every other view declares its policy, and tests/permissions/derived.py
  derives what each role gets from it);
- FOREIGN_WRITES: a sample of writes on someone's records (who may write through the
  API is derived from each route's write policy).

An admin pattern missing from EXPECTED fails the test: a new model cannot be forgotten.
"""

from tests.permissions.world import ROLES

# Parameters ------------------------------------------------------------------------------
#
# A value is a dotted path into the world's objects ("event.pk"), or a literal in a
# one-element tuple. PARAMS_BY_NAME is used unless PARAMS names the pattern's parameter.

PARAMS_BY_NAME = {
    "edition": "edition.slug",
    "call_id": "call.pk",
    "application_id": "jury_application.pk",
    "year": ("2016",),
    "secret": "ticket.secret",
    "code": "exhibition.code",
    "fmt": ("csv",),
    "format": ("json",),
    "uidb64": ("MQ",),
    "token": ("not-a-valid-token",),
    "slug": "programme.slug",
    "table": ("summary",),
    "app_label": ("orchestra",),
    "url": ("no-such-page/",),
    "path": ("no-such-file.jpg",),
}

PARAMS = {
    # events
    "events:event_detail": {"pk": "event.pk"},
    "events:event_ics": {"pk": "event.pk"},
    "events:venue_detail": {"pk": "venue.pk"},
    "events:venue_feed": {"pk": "venue.pk"},
    "events:venue_embed": {"pk": "venue.pk"},
    "events:change_event": {"pk": "event.pk"},
    # ticketing
    "ticketing:register": {"pk": "event.pk"},
    "ticketing:manage": {"token": "registration_token"},
    "ticketing:print": {"token": "registration_token"},
    "ticketing:payment_return": {"token": "registration_token"},
    "ticketing:payment_callback": {"provider": ("vipps",)},
    "ticketing:event_payments": {"pk": "event.pk"},
    "ticketing:registration_payment_action": {"pk": "registration.pk", "action": ("refund",)},
    "ticketing:manage_action": {"token": "registration_token", "action": ("cancel",)},
    "ticketing:scanner": {"pk": "checkin_list.pk"},
    "ticketing:event_registrations": {"pk": "event.pk"},
    "ticketing:export_attendees_csv": {"pk": "event.pk"},
    "ticketing:export_attendees_xlsx": {"pk": "event.pk"},
    # artists
    "artists:artist_detail": {"slug": "artist.slug"},
    # core
    "core:outbound_message_resend": {"pk": "outbound_message.pk"},
    "core:webhook_endpoint": {"pk": "webhook_endpoint.pk"},
    "core:webhook_delivery_replay": {"pk": "webhook_delivery.pk"},
    "core:group_message": {"pk": "group_message.pk"},
    "core:group_message_edit": {"pk": "group_message.pk"},
    "core:group_message_send": {"pk": "group_message.pk"},
    "core:group_message_resend": {"pk": "group_message_recipient.pk"},
    "core:questions": {"kind": ("ticketing.offer",), "owner_id": "offer.pk"},
    "core:question_edit": {"pk": "question.pk"},
    "core:question_move": {"pk": "question.pk", "direction": ("up",)},
    "core:question_remove": {"pk": "question.pk"},
    "core:answer_file": {"pk": "answer.pk"},
    "artists:gallery_image": {"pk": "artist_image.pk"},
    "artists:gallery_image_move": {"pk": "artist_image.pk"},
    "artists:gallery_image_delete": {"pk": "artist_image.pk"},
    "artists:jury_list": {"call_id": "jury_call.pk"},
    "artists:jury_review": {"call_id": "jury_call.pk"},
    "artists:jury_autosave": {"call_id": "jury_call.pk"},
    "artists:jury_recuse": {"call_id": "jury_call.pk"},
    "artists:jury_review_image": {"call_id": "jury_call.pk", "number": ("1",), "size": ("stor",)},
    "artists:jury_ranking": {"call_id": "jury_call.pk"},
    "artists:jury_ranking_export": {"call_id": "jury_call.pk"},
    "artists:jury_conflicts": {"call_id": "jury_call.pk"},
    "artists:jury_conflicts_export": {"call_id": "jury_call.pk"},
    "artists:exhibition": {"pk": "exhibition.pk"},
    "artists:studio_calendar": {"pk": "studio.pk"},
    "artists:tally_studio": {"pk": "studio.pk"},
    "artists:tally_exhibition": {"pk": "exhibition.pk"},
    "artists:tally_correct": {"pk": "tally.pk"},
    "artists:tally_remove": {"pk": "tally.pk"},
    "artists:sale_delete": {"pk": "sale.pk"},
    # orchestra
    "orchestra:approve": {"pk": "applicant.pk"},
    "orchestra:decline": {"pk": "applicant.pk"},
    "orchestra:child_consent": {"pk": "child.pk"},
    "orchestra:child_withdraw_consent": {"pk": "child.pk"},
    "orchestra:child_export": {"pk": "child.pk"},
    "orchestra:child_deletion": {"pk": "child.pk"},
    "orchestra:session_attendance": {"pk": "session.pk"},
    "orchestra:session_attendance_mark": {"pk": "session.pk"},
    "orchestra:session_attendance_close": {"pk": "session.pk"},
    "orchestra:session_scanner": {"pk": "session.pk"},
    "orchestra:session_sheet": {"pk": "session.pk"},
    "orchestra:session_sheet_issue": {"pk": "session.pk"},
    "orchestra:weekend_attendance": {"pk": "rehearsal_weekend.pk"},
    "orchestra:leave_end": {"pk": "leave.pk"},
    "orchestra:private_feed": {"token": "calendar_token"},
    "orchestra:calendar_revoke": {"pk": "calendar_link.pk"},
    "orchestra:my_calendar_revoke": {"pk": "member_calendar_link.pk"},
    "orchestra:group_feed": {"pk": "youth.pk"},
    "orchestra:master_class_action": {"pk": "master_class.pk", "action": ("cancel",)},
    "orchestra:master_class_participants": {"pk": "master_class.pk"},
    "orchestra:master_class_staff_action": {"pk": "master_class.pk", "action": ("cancel",)},
    "orchestra:tour": {"pk": "tour.pk"},
    "orchestra:tour_participants": {"pk": "tour.pk"},
    "orchestra:tour_emergency": {"pk": "tour.pk"},
    "orchestra:tour_trip_details": {"pk": "tour_player.pk"},
    "orchestra:concert_groups": {"pk": "concert.pk"},
    "orchestra:erasure_request": {"pk": "erasure_request.pk"},
    # the API root's format suffix is a converter that takes the dot
    "api:api-root.format": {"format": (".json",)},
    "api:not-found": {"path": ("no-such-route/",)},
    # admin pages that are not a model's own
    "admin:view_on_site": {"content_type_id": "event_content_type.pk", "object_id": "event.pk"},
    "admin:auth_user_password_change": {"id": "superuser_record.pk"},
}

# Query strings of patterns that answer 400 without one: name -> dotted path or literal.
QUERY = {
    "api:studio-geojson": {"edition": "edition.pk"},
    "api:visit-statistics-list": {"edition": "edition.pk"},
    "api:tally-day": {"exhibition": "exhibition.pk", "date": ("2016-09-17",)},
}

# The object behind each API basename's {pk}: a dotted path into the world.
API_OBJECTS = {
    "calendar-token": "calendar_link.pk",
    "audit-entry": "audit_entry.pk",
    "outbound-message": "outbound_message.pk",
    "failing-address": "failing_address.pk",
    "contact-preference": "contact_preference.pk",
    "webhook-endpoint": "webhook_endpoint.pk",
    "webhook-delivery": "webhook_delivery.pk",
    "group-message": "group_message.pk",
    "municipality": "venue.municipality.pk",
    "venue": "venue.pk",
    "programme": "programme.pk",
    "period": "edition.pk",
    "event": "event.pk",
    "capacitypool": "pool.pk",
    "offer": "offer.pk",
    "registration": "registration.pk",
    "ticket": "ticket.pk",
    "payment-attempt": "payment_attempt.pk",
    "checkinlist": "checkin_list.pk",
    "checkin": "checkin.pk",
    "artist": "artist.pk",
    "artist-image": "artist_image.pk",
    "call": "jury_call.pk",
    "application": "jury_application.pk",
    "decision": "decision.pk",
    "review": "review.pk",
    "conflict": "conflict.pk",
    "exhibition": "exhibition.pk",
    "work": "work.pk",
    "studio": "studio.pk",
    "tally": "tally.pk",
    "sale": "sale.pk",
    "instrument": "instrument.pk",
    "orchestra-group": "youth.pk",
    "member": "child.pk",
    "status-change": "status_change.pk",
    "membership": "membership.pk",
    "guardian": "guardian.pk",
    "consent-text": "consent_text.pk",
    "consent": "consent.pk",
    "consent-withdrawal": "consent_withdrawal.pk",
    "sensitive-data-access": "sensitive_access.pk",
    "guest-ensemble": "guest_ensemble.pk",
    "session-plan": "session_plan.pk",
    "attendance": "attendance.pk",
    "leave": "leave.pk",
    "member-card": "member_card.pk",
    "master-class": "master_class.pk",
    "master-class-sign-up": "master_class_sign_up.pk",
    "concert": "concert.pk",
    "tour": "tour.pk",
    "tour-participant": "tour_player.pk",
    "tour-cost": "tour_cost.pk",
    "erasure-request": "erasure_request.pk",
}

ANONYMOUS, STAFF = "anonymous", ("project_leader", "superuser")

# Whose members' names each role may read (keys of world.MEMBER_NAMES).
ALL_MEMBERS = {"child", "other_child", "teen", "applicant"}
NAMES_VISIBLE_TO = {
    "guardian": {"child", "applicant"},
    "other_guardian": {"other_child"},
    "member": {"teen"},
    "tutor": {"child", "teen"},  # expected at the youth group's tutti, which they lead
    "tour_leader": {"child"},  # the tour's player
    # past_tour_leader: nobody; their tour ended ten days ago (the leaders' window).
    "project_leader": ALL_MEMBERS,
    "superuser": ALL_MEMBERS,
}

# Whose medical notes and trip emergency contacts (keys of world.MEDICAL) a role may read:
# staff; the tour leaders of the child's tour (in their window, which the world's tour is);
# the guardians, who gave them and may see what is stored about their child. Not tutors.
ALL_MEDICAL = {"child", "other_child", "trip", "trip_contact"}
MEDICAL_VISIBLE_TO = {
    "guardian": {"child", "trip", "trip_contact"},
    "other_guardian": {"other_child"},
    "tour_leader": {"child", "trip", "trip_contact"},
    "project_leader": ALL_MEDICAL,
    "superuser": ALL_MEDICAL,
}

# Who may read each piece of other private data (keys of world.PRIVATE): its owner and
# staff; an application's statement also the jurors not in conflict with it; the guardian's
# contact details also the tour leader (the emergency sheet lists the players' guardians).
PRIVATE_VISIBLE_TO = {
    "sketch": {"artist", *STAFF},
    "sale": {"artist", *STAFF},
    "statement": {"artist", "juror", *STAFF},
    "review": {"juror", *STAFF},
    "conflict": {"juror_in_conflict", *STAFF},
    "guardian_email": {"guardian", "tour_leader", *STAFF},
}

# The jury's pages and API: blind to the jurors, who never read an applicant's name there.
BLIND_TO_JURORS = ("artists:jury", "api:review-", "api:conflict-", "api:call-")

assert set(NAMES_VISIBLE_TO) <= set(ROLES)

# Rules -----------------------------------------------------------------------------------

JURORS = ("juror", "juror_in_conflict")


def allow(*roles, ok=200, anonymous=302, others=403, **exceptions) -> dict[str, int]:
    """Return a rule: ``ok`` for the roles named, ``others`` for the rest, and what an
    anonymous visitor gets (a page: a redirect to the login; the API: 401)."""
    rule = {role: ok if role in roles else others for role in ROLES}
    rule[ANONYMOUS] = anonymous
    rule.update(exceptions)
    return rule


def expect(rule: dict[str, int], **exceptions) -> dict[str, int]:
    """Return a rule with some roles' statuses changed."""
    unknown = set(exceptions) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {**rule, **exceptions}


# Pages.
STAFF_ONLY = allow(*STAFF)


# The admin: anyone but staff is sent to the admin's login.
ADMIN = allow(*STAFF, others=302)
# The admin's pages for logins and API tokens: the superuser only (project leaders
# manage the programmes' data, not the logins).
ADMIN_SUPERUSER = allow("superuser", others=302, project_leader=403)
# Everyone is redirected (a page that needs something in the session first).
REDIRECT_ALL = allow(ok=302, others=302)


def not_found_to_others(*roles, anonymous=302, **exceptions):
    """Return a rule for a record only some may reach: 200 for them, 404 to other logins
    (the record's existence is not told), and the login page (or 401) to anonymous."""
    return allow(*roles, others=404, anonymous=anonymous, **exceptions)


# The admin -------------------------------------------------------------------------------
#
# Every registered model (app_label.model_name) with the rule of its pages; a model the
# table does not name fails the test. Views a ModelAdmin turns off are exceptions below.

ADMIN_MODELS = {
    "artists.application": ADMIN,
    "artists.artist": ADMIN,
    "artists.artistimage": ADMIN,
    "artists.artsale": ADMIN,
    "artists.call": ADMIN,
    "artists.conflict": ADMIN,
    "artists.decision": ADMIN,
    "artists.discipline": ADMIN,
    "artists.exhibition": ADMIN,
    "artists.letter": ADMIN,
    "artists.qrvisit": ADMIN,
    "artists.reportedfigures": ADMIN,
    "artists.review": ADMIN,
    "artists.studio": ADMIN,
    "artists.tallyreminder": ADMIN,
    "artists.visittally": ADMIN,
    "artists.work": ADMIN,
    "auth.group": ADMIN_SUPERUSER,
    "auth.user": ADMIN_SUPERUSER,
    "authtoken.tokenproxy": ADMIN_SUPERUSER,
    "axes.accessattempt": ADMIN_SUPERUSER,
    "axes.accessfailurelog": ADMIN_SUPERUSER,
    "axes.accesslog": ADMIN_SUPERUSER,
    "core.answer": ADMIN,
    "core.auditentry": ADMIN,
    "core.contactpreference": ADMIN,
    "core.failingaddress": ADMIN,
    "core.groupmessage": ADMIN,
    "core.outboundmessage": ADMIN,
    "core.questionset": ADMIN,
    "core.webhookdelivery": ADMIN,
    "core.webhookendpoint": ADMIN,
    "events.changenotice": ADMIN,
    "events.event": ADMIN,
    "events.municipality": ADMIN,
    "events.period": ADMIN,
    "events.programme": ADMIN,
    "events.venue": ADMIN,
    "orchestra.attendance": ADMIN,
    "orchestra.calendartoken": ADMIN,
    "orchestra.consentacceptance": ADMIN,
    "orchestra.consenttext": ADMIN,
    "orchestra.erasurerequest": ADMIN,
    "orchestra.consentwithdrawal": ADMIN,
    "orchestra.group": ADMIN,
    "orchestra.guardian": ADMIN,
    "orchestra.guestensemble": ADMIN,
    "orchestra.instrument": ADMIN,
    "orchestra.leaveofabsence": ADMIN,
    "orchestra.masterclasssignup": ADMIN,
    "orchestra.member": ADMIN,
    "orchestra.membercard": ADMIN,
    "orchestra.sensitivedataaccess": ADMIN,
    "orchestra.sessionplan": ADMIN,
    "orchestra.statuschange": ADMIN,
    "orchestra.tour": ADMIN,
    "orchestra.tourparticipant": ADMIN,
    "ticketing.capacitypool": ADMIN,
    "ticketing.checkin": ADMIN,
    "ticketing.checkinlist": ADMIN,
    "ticketing.offer": ADMIN,
    "ticketing.paymentattempt": ADMIN,
    "ticketing.registration": ADMIN,
    "ticketing.ticket": ADMIN,
}
ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "delete", "history")
# The spreadsheet import's second step is a POST only.
ADMIN_IMPORT_VIEWS = {
    "import": None,
    "export": None,
    "process_import": allow(*STAFF, ok=405, others=302),
}
ADMIN_IMPORTS = {"artists.artist", "events.event", "events.municipality", "events.venue"}
ADMIN_IMPORTS |= {"orchestra.guardian", "orchestra.member"}
# Records made only by the site's own workflows (scans, tallies, consents...): no add page;
# published consent texts are never deleted; the login throttle's records come from logins.
NO_ADD = allow(*STAFF, ok=403, others=302)
ADMIN_EXCEPTIONS = {
    "admin:artists_artistimage_add": NO_ADD,
    "admin:artists_decision_add": NO_ADD,
    "admin:artists_qrvisit_add": NO_ADD,
    "admin:artists_tallyreminder_add": NO_ADD,
    "admin:artists_visittally_add": NO_ADD,
    "admin:axes_accessattempt_add": NO_ADD,
    "admin:axes_accessfailurelog_add": NO_ADD,
    "admin:axes_accesslog_add": NO_ADD,
    # The audit trail is written by the services only, and goes by its retention rule.
    "admin:core_auditentry_add": NO_ADD,
    "admin:core_auditentry_delete": NO_ADD,
    # Emails are recorded by core.mail only; staff resend them, never write or delete one.
    "admin:core_outboundmessage_add": NO_ADD,
    "admin:core_outboundmessage_delete": NO_ADD,
    # Messages to groups are written and sent on staff's own pages (core.group_messages).
    "admin:core_groupmessage_add": NO_ADD,
    "admin:core_groupmessage_delete": NO_ADD,
    # Answers are given with what they answer (core.questions); staff read them.
    "admin:core_answer_add": NO_ADD,
    "admin:core_answer_delete": NO_ADD,
    # How people are reached is set by each person (core.reach); failing addresses are
    # marked and cleared by the deliveries: staff read both, never write one by hand.
    "admin:core_contactpreference_add": NO_ADD,
    "admin:core_contactpreference_delete": NO_ADD,
    "admin:core_failingaddress_add": NO_ADD,
    "admin:core_failingaddress_delete": NO_ADD,
    # Deliveries are made by core.webhooks only; staff replay them, never write one.
    # Change sets are recorded by events.notices only.
    "admin:events_changenotice_add": NO_ADD,
    "admin:events_changenotice_delete": NO_ADD,
    "admin:core_webhookdelivery_add": NO_ADD,
    "admin:core_webhookdelivery_delete": NO_ADD,
    "admin:orchestra_calendartoken_add": NO_ADD,
    "admin:orchestra_consentacceptance_add": NO_ADD,
    "admin:orchestra_consenttext_delete": NO_ADD,
    "admin:orchestra_erasurerequest_add": NO_ADD,
    # The history of withdrawals and the access log are never written or deleted by hand.
    "admin:orchestra_consentwithdrawal_add": NO_ADD,
    "admin:orchestra_consentwithdrawal_delete": NO_ADD,
    "admin:orchestra_sensitivedataaccess_add": NO_ADD,
    "admin:orchestra_sensitivedataaccess_delete": NO_ADD,
    "admin:ticketing_checkin_add": NO_ADD,
    "admin:ticketing_registration_add": NO_ADD,
    "admin:ticketing_ticket_add": NO_ADD,
    # Online payments are written by ticketing.payments only.
    "admin:ticketing_paymentattempt_add": NO_ADD,
    "admin:ticketing_paymentattempt_delete": NO_ADD,
}
ADMIN_SITE = {
    "admin:index": ADMIN,
    "admin:app_list": ADMIN,
    "admin:login": allow(ok=200, others=200, anonymous=200, project_leader=302, superuser=302),
    "admin:logout": allow(*STAFF, ok=405, others=302),
    "admin:password_change": ADMIN,
    "admin:password_change_done": ADMIN,
    "admin:jsi18n": ADMIN,
    # Without its query (app_label, model_name, field_name) the autocomplete refuses.
    "admin:autocomplete": allow(*STAFF, ok=403, others=302),
    # Redirects to the object's page on the site, or the login.
    "admin:view_on_site": REDIRECT_ALL,
    "admin:auth_user_password_change": ADMIN_SUPERUSER,
    # The catch-all: staff get a 404 for a page that does not exist.
    "admin/(?P<url>.*)$": allow(*STAFF, ok=404, others=302),
}


def _admin_rules() -> dict:
    rules = dict(ADMIN_SITE)
    for label, rule in ADMIN_MODELS.items():
        app_label, model = label.split(".")
        for view in ADMIN_MODEL_VIEWS:
            rules[f"admin:{app_label}_{model}_{view}"] = rule
        # The old-style object URL redirects to the change page (or the login).
        rules[f"admin/{app_label}/{model}/<path:object_id>/"] = REDIRECT_ALL
        if label in ADMIN_IMPORTS:
            for view, own in ADMIN_IMPORT_VIEWS.items():
                rules[f"admin:{app_label}_{model}_{view}"] = own or rule
    return {**rules, **ADMIN_EXCEPTIONS}


EXPECTED = _admin_rules()

# Patterns whose answer is the same document for every login, slow to make: a sample of roles.
SAMPLED_ROLES = {"api:api-schema": (ANONYMOUS, "visitor", "guardian", "superuser")}

# Names that a link's secret token shows to whoever holds it: the guardian's private feed
# names their child (the token is the guardian's; holding it is the permission).
NAMES_BEHIND_SECRET_LINKS = {"orchestra:private_feed": {"child"}}

# A child's ticket page (/tickets/<secret>/): the secret, which a host who scanned the
# ticket holds, shows initials; the child's name only to staff, the tutors of the ticket's
# event and the registration's contact: the login that signed the child up, or whoever
# holds the registration's manage link (tests/permissions/test_child_tickets.py).
CHILD_TICKET_NAMES_VISIBLE_TO = {
    "master_class_ticket": {"guardian", *STAFF},  # the guardian signed the child up
    "member_card_ticket": set(STAFF),  # issued by staff; not the tutor of another event
}

# Private data that a secret link shows to whoever holds it (none so far).
PRIVATE_BEHIND_SECRET_LINKS: dict[str, tuple[str, ...]] = {}


def rule_for(key: str) -> dict[str, int] | None:
    """Return the rule of a pattern; an API format variant (``.json``) has its endpoint's."""
    if key in EXPECTED:
        return EXPECTED[key]
    if key.endswith(".format"):
        return EXPECTED.get(key.removesuffix(".format"))
    return None


def roles_for(key: str):
    return SAMPLED_ROLES.get(key, ROLES)


# Writes on someone's records ---------------------------------------------------------------
#
# Each as every role, rolled back: the roles named succeed (2xx, or a redirect from a page's
# form), everyone else is refused (4xx, or the login page). What it is, the method, the URL
# name, its parameters and its data (dotted paths into the world, or literals), who may.
FOREIGN_WRITES = [
    (
        "a count at the host's exhibition",
        "post",
        "api:tally-list",
        {},
        {"exhibition": "exhibition.pk", "date": ("2016-09-17",), "visitors": (3,)},
        {"venue_host", *STAFF},
    ),
    (
        "removing the host's count",
        "post",
        "api:tally-void",
        {"pk": "tally.pk"},
        {"reason": ("Counted twice.",)},
        {"venue_host", *STAFF},
    ),
    (
        "a sale of the artist's work",
        "post",
        "api:sale-list",
        {},
        {"artist": "artist.pk", "edition": "edition.pk", "work": "work.pk", "amount": (900,)},
        {"artist", *STAFF},
    ),
    (
        "a leave for the guardian's child",
        "post",
        "api:leave-list",
        {},
        {
            "member": "child.pk",
            "starts_on": "new_leave_first_day",
            "ends_on": "new_leave_last_day",
            "reason": ("illness",),
        },
        {"guardian", *STAFF},
    ),
    (
        "ending the other guardian's child's leave",
        "post",
        "api:leave-end",
        {"pk": "leave.pk"},
        {"last_day": "leave_last_day"},
        {"other_guardian", *STAFF},
    ),
    (
        "an answer for the guardian's child at a session",
        "post",
        "api:attendance-reply",
        {},
        {
            "member": "child.pk",
            "session": "session.pk",
            "reply": ("not_coming",),
            "reason": ("illness",),
        },
        {"guardian", *STAFF},
    ),
    (
        "marking the child present at the tutor's session (the page's form)",
        "post",
        "orchestra:session_attendance_mark",
        {"pk": "session.pk"},
        {"member": "child.pk", "status": ("present",)},
        {"tutor", *STAFF},
    ),
    (
        "deleting the artist's sale (the page's form)",
        "post",
        "artists:sale_delete",
        {"pk": "sale.pk"},
        {},
        {"artist", *STAFF},
    ),
]


# A 302 is a redirect to the login (the admin's for the admin), except on these patterns.
REDIRECTS_ELSEWHERE = (
    "set_language",  # back to the page
    "orchestra:registered",  # to the registration form
    "admin:view_on_site",  # to the object on the site
    "admin:login",  # staff are logged in already: to the admin's index
    "admin:logout",  # a GET: to the admin's index (which asks for the login)
)


def redirects_to_login(key: str, role: str) -> bool:
    if key in REDIRECTS_ELSEWHERE:
        return False
    # The admin's old object URLs redirect to the object's change page first.
    return not (key.startswith("admin/") and key.endswith("/<path:object_id>/"))


# The site's forms (POST-only pages), posted empty by every role: the roles named here pass
# the form's permission (they then get the form's own answer); everyone else is refused.
# Not posted: the logout (it would log the shared test clients out) and the registration's
# secret link (the token is the permission).
FORM_OWNERS: dict[str, set[str]] = {}
FORMS_NOT_POSTED = {"logout", "ticketing:manage_action"}

# The site's POST-only pages (a GET is a 405); test_matrix finds any that is missing. Whose
# form it is: the roles their policy lets through (derived.py), else FORM_OWNERS.
POST_ONLY_PAGES = {
    "logout",
    "core:outbound_message_resend",
    "core:webhook_delivery_replay",
    "core:group_message_send",
    "core:group_message_resend",
    "core:question_move",
    "core:question_remove",
    # The SMS provider's signed status callback (core.sms): public, the signature is the
    # permission; without a provider it is not there (404), with one unsigned posts get 403.
    "core:sms_status",
    # A payment provider's signed webhook (ticketing.payments): public, the signature is
    # the permission; without the provider configured it is not there (404), with it
    # unsigned posts get 401.
    "ticketing:payment_callback",
    "ticketing:registration_payment_action",
    "orchestra:session_sheet_issue",
    "orchestra:member_cards_issue",
    "ticketing:manage_action",
    "artists:gallery_image_move",
    "artists:jury_autosave",
    "artists:tally_correct",
    "artists:tally_remove",
    "artists:sale_delete",
    "orchestra:approve",
    "orchestra:decline",
    "orchestra:child_consent",
    "orchestra:child_withdraw_consent",
    "orchestra:session_attendance_mark",
    "orchestra:session_attendance_close",
    "orchestra:session_scanner",
    "orchestra:absence_reply",
    "orchestra:leave_set",
    "orchestra:leave_end",
    "orchestra:calendar_create",
    "orchestra:calendar_revoke",
    "orchestra:my_calendar_create",
    "orchestra:my_calendar_revoke",
    "orchestra:master_class_action",
    "orchestra:master_class_staff_action",
    "orchestra:concert_groups",
}

# Patterns whose own answer, to everyone their policy lets through, is a refusal status:
# a file that is not there (DEBUG only), a path that no API route takes.
OWN_ANSWERS = {"^media/(?P<path>.*)$": 404, "api:not-found": 404}


# The children's cases, written by hand -----------------------------------------------------
#
# An independent check of the derivation (derived.py): the pages and records that show a
# child's name, health data or a family's contacts, and exactly who gets them. The matrix
# derives every URL's answer from its policy; these say what the policies must come to,
# so a policy that grew too generous fails here even though its derivation agrees with it.
# (name, URL name, parameters as in PARAMS, what each role gets)
CHILD_CASES = [
    (
        "all that is stored about a child (names, health, contacts): the export",
        "orchestra:child_export",
        {"pk": "child.pk"},
        not_found_to_others("guardian", *STAFF),
    ),
    (
        "a child's record with their name, through the API",
        "api:member-detail",
        {"pk": "child.pk"},
        not_found_to_others("guardian", *STAFF, anonymous=401),
    ),
    (
        "a family's contacts: the guardian's record",
        "api:guardian-detail",
        {"pk": "guardian.pk"},
        not_found_to_others("guardian", *STAFF, anonymous=401),
    ),
    (
        "the names of the members at a session: the tutor's attendance page",
        "orchestra:session_attendance",
        {"pk": "session.pk"},
        not_found_to_others("tutor", *STAFF),
    ),
    (
        "the players of a tour with their health notes: the tour leader's list, in the window",
        "orchestra:tour_participants",
        {"pk": "tour.pk"},
        not_found_to_others("tour_leader", *STAFF),
    ),
    (
        "the emergency sheet of a tour: health notes and the guardians' phone numbers",
        "orchestra:tour_emergency",
        {"pk": "tour.pk"},
        not_found_to_others("tour_leader", *STAFF),
    ),
    (
        "a child's trip details (medicine, emergency contact)",
        "orchestra:tour_trip_details",
        {"pk": "tour_player.pk"},
        not_found_to_others("guardian", *STAFF),
    ),
    (
        "a tour participant with their health notes, through the API",
        "api:tour-participant-detail",
        {"pk": "tour_player.pk"},
        not_found_to_others("guardian", "tour_leader", *STAFF, anonymous=401),
    ),
    (
        "who read children's health data: the access log",
        "orchestra:access_log",
        {},
        not_found_to_others(*STAFF),
    ),
    (
        "the master class's participants (children's names)",
        "orchestra:master_class_participants",
        {"pk": "master_class.pk"},
        STAFF_ONLY,
    ),
]
