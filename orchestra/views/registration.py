"""Orchestra pages: registration (being built)."""

urlpatterns = []
