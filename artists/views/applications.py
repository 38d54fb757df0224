"""Pages of Kunst rett vest: applications."""

urlpatterns = []
