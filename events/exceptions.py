class EventsError(Exception):
    """A domain rule of the events app was broken; the message is for the user."""
