"""Pages of Kunst rett vest: statistics (being built)."""

urlpatterns = []
