"""Orchestra pages: guardians (being built)."""

urlpatterns = []
