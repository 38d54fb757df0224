"""Pages of Kunst rett vest: directory."""

urlpatterns = []
