def register(router):
    """Register this app's API routes (filled in by the API work)."""
