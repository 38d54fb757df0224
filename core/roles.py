"""The roles of Kulturvest, kept as Django auth groups.

A role is a group with a stable name. Project leaders get the model permissions
they need in the admin; the other roles act through pages made for them and get
no admin permissions.
"""

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROJECT_LEADER = "project_leader", _("Project leader")
    JUROR = "juror", _("Juror")
    ARTIST = "artist", _("Artist")
    VENUE_HOST = "venue_host", _("Venue host")
    GUARDIAN = "guardian", _("Guardian")
    TUTOR = "tutor", _("Tutor")


# App labels whose models a project leader manages in the admin.
PROJECT_LEADER_APPS = ("events", "ticketing", "artists", "orchestra")


def sync_role_groups(**kwargs) -> None:
    """Create the role groups and give project leaders their permissions."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    leaders = Group.objects.get(name=Role.PROJECT_LEADER)
    perms = Permission.objects.filter(content_type__app_label__in=PROJECT_LEADER_APPS)
    leaders.permissions.add(*perms)


def user_roles(user) -> set[str]:
    """Return the role names of a user, cached on the user object."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return set()
    cached = getattr(user, "_kulturvest_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._kulturvest_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    """Return True if the user holds the role; superusers hold every role."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return role in user_roles(user)


def is_project_leader(user) -> bool:
    return has_role(user, Role.PROJECT_LEADER)


def is_staff_member(user) -> bool:
    """Return True for the organisers: staff users and project leaders."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_staff or has_role(user, Role.PROJECT_LEADER))
    )
