"""The API's one permission class (core.permissions.PolicyPermission)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView


class DeclaresNothing(APIView):
    def get(self, request):
        return Response({})


def test_a_view_that_declares_no_policy_fails_loudly():
    """No view falls back to letting anyone in: a forgotten policy is an error."""
    with pytest.raises(ImproperlyConfigured, match="declares no policy"):
        DeclaresNothing.as_view()(APIRequestFactory().get("/"))
