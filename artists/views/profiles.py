"""Pages of Kunst rett vest: profiles."""

urlpatterns = []
