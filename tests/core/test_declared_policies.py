"""Every view declares its policy: a test walks the URL resolver and fails on one that
does not (core.policies). The admin's pages are the admin's own: its site admits active
staff (core.policies.ADMIN_SITE) and each model admin checks the model's permissions."""

from django.urls import URLPattern, URLResolver, get_resolver

from core.policies import REGISTRY, Policy, declared_policies

# Views that still decide access by themselves, while issue 13 converts them. This list
# only shrinks: a view listed here that declares a policy fails the test too.
UNDECLARED: set[str] = {
    "artists.views.applications.application",
    "artists.views.applications.application_list",
    "artists.views.catalogue.catalogue",
    "artists.views.catalogue.exhibition_detail",
    "artists.views.catalogue.exhibition_list",
    "artists.views.catalogue.studio_calendar",
    "artists.views.catalogue.studio_favourites",
    "artists.views.catalogue.studio_feed",
    "artists.views.catalogue.studio_map",
    "artists.views.catalogue.wall_labels",
    "artists.views.directory.edition_directory",
    "artists.views.jury.autosave",
    "artists.views.jury.conflicts",
    "artists.views.jury.conflicts_export",
    "artists.views.jury.juror_list",
    "artists.views.jury.jury_index",
    "artists.views.jury.ranking",
    "artists.views.jury.ranking_export",
    "artists.views.jury.recuse",
    "artists.views.jury.review",
    "artists.views.jury.review_image",
    "artists.views.profiles.artist_detail",
    "artists.views.profiles.gallery",
    "artists.views.profiles.gallery_image",
    "artists.views.profiles.gallery_image_delete",
    "artists.views.profiles.gallery_image_move",
    "artists.views.profiles.profile",
    "artists.views.profiles.profile_preview",
    "artists.views.profiles.signup",
    "artists.views.profiles.signup_confirm",
    "artists.views.profiles.signup_done",
    "artists.views.staff.decisions",
    "artists.views.staff.outbox",
    "artists.views.statistics.annual_report",
    "artists.views.statistics.edition_export",
    "artists.views.statistics.edition_page",
    "artists.views.statistics.statistics_index",
    "artists.views.statistics.statistics_index_export",
    "artists.views.studios.own_studio",
    "artists.views.studios.studio_list",
    "artists.views.tallies.completeness_index",
    "artists.views.tallies.sale_delete",
    "artists.views.tallies.sales",
    "artists.views.tallies.tally_completeness",
    "artists.views.tallies.tally_correct",
    "artists.views.tallies.tally_exhibition",
    "artists.views.tallies.tally_index",
    "artists.views.tallies.tally_remove",
    "artists.views.tallies.tally_studio",
    "artists.views.visits.place_page",
    "artists.views.visits.poster",
    "artists.views.visits.poster_list",
    "artists.views.visits.poster_print_all",
    "artists.views.visits.visit",
}


def _views():
    """Yield (route, view name, view callable) for every URL outside the admin."""

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner == "admin":
                    continue
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                callback = pattern.callback
                cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
                target = cls or callback
                name = f"{target.__module__}.{target.__qualname__}"
                yield prefix + str(pattern.pattern), name, callback

    yield from walk(get_resolver(), "", None)


def test_every_view_declares_a_policy():
    missing = sorted(
        {name for _route, name, view in _views() if not declared_policies(view)} - UNDECLARED
    )
    assert not missing, "views without a declared policy (core.policies.requires):\n" + "\n".join(
        missing
    )


def test_the_list_of_undeclared_views_only_shrinks():
    declared = {name for _route, name, view in _views() if declared_policies(view)}
    assert not (UNDECLARED & declared), (
        f"now declared, remove from UNDECLARED: {UNDECLARED & declared}"
    )
    known = {name for _route, name, _view in _views()}
    assert known >= UNDECLARED, f"no such view: {UNDECLARED - known}"


def test_every_declared_policy_is_registered_by_name():
    for _route, _name, view in _views():
        for policy in declared_policies(view):
            assert isinstance(policy, Policy)
            assert REGISTRY[policy.name] is policy
