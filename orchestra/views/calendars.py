"""Orchestra pages: calendars (being built)."""

urlpatterns = []
