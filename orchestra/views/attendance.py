"""Orchestra pages: attendance (being built)."""

urlpatterns = []
