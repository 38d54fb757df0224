"""Pages of Kunst rett vest: staff."""

urlpatterns = []
