"""Pages of Kunst rett vest: jury."""

urlpatterns = []
