"""Pages of Kunst rett vest: catalogue (being built)."""

urlpatterns = []
