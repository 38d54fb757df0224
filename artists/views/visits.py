"""Pages of Kunst rett vest: visits (being built)."""

urlpatterns = []
