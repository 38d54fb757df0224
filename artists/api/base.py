"""What the art round's API modules share: the viewset base and whose a write is for."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from artists.models import Artist
from artists.policies import CHANGE_ARTIST_RECORDS
from artists.selectors.profiles import artist_of
from core.policies import Policy


class ArtistsViewSet(viewsets.GenericViewSet):
    """The art round's views. Each declares its ``policies`` (artists.policies), which
    core.permissions.PolicyPermission reads; rows are fetched through the read policy
    (``reachable``), so that a list shows what the detail allows. A record outside a
    policy that hides is not found (404); one outside a policy that does not hide, or one
    that may be seen but not changed, is refused by the permission (403)."""

    def read_policy(self):
        policies = getattr(self, "policies", None) or {}
        return policies.get("read") or policies.get("*") or getattr(self, "policy", None)

    def reachable(self, queryset):
        """Return the rows of the queryset the view's read policy lets the user reach."""
        policy = self.read_policy()
        if self.detail and not policy.hide:
            return queryset  # has_object_permission refuses with 403
        return policy.filter(self.request.user, queryset)


def acting_artist(request, chosen: Artist | None, policy: Policy = CHANGE_ARTIST_RECORDS) -> Artist:
    """Return the artist a write is for: the one chosen, else the user's own. The policy
    must allow the user that artist (their own; staff anyone's)."""
    artist = chosen or artist_of(request.user)
    if artist is None:
        raise serializers.ValidationError({"artist": [_("Choose the artist.")]})
    return policy.check_object(request, artist)
