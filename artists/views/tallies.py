"""Pages of Kunst rett vest: tallies (being built)."""

urlpatterns = []
