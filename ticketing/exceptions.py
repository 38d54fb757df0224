from core.exceptions import DomainRuleError


class TicketingError(DomainRuleError):
    """A rule of ticketing was broken; the message is for the user."""


class CapacityError(TicketingError):
    """Not enough places are left for a registration."""

    def __init__(self, message: str, *, places_left: int):
        super().__init__(message)
        self.places_left = places_left


class AlreadyRegistered(TicketingError):
    """The email address has an active registration for the event already.

    Its message is for the person registering; it names no registration, since the person
    typing may not own the address.
    """
