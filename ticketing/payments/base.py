"""What an online payment provider does for ticketing (ticketing.payments.services drives it).

A provider speaks its own API; the services own the rules (one open attempt per
registration, a payment recorded once, tickets only when paid, holds, refunds). Each
method raises ProviderError when the provider cannot be reached or refuses; a callback
that is not the provider's (a forged or unsigned one) raises Refused.
"""

from dataclasses import dataclass
from decimal import Decimal


class ProviderError(Exception):
    """The provider could not be reached, timed out, or refused the request."""


class Refused(Exception):
    """A callback that is not the provider's own: its signature does not verify."""


@dataclass(frozen=True)
class Started:
    """A payment begun at the provider: where to send the payer."""

    redirect_url: str


@dataclass(frozen=True)
class Status:
    """What the provider says of a payment, in the services' words.

    ``state``: "pending" (the payer has not finished), "authorized" (reserved, to be
    captured), "captured" (the money is ours), "failed" (declined, aborted, expired at the
    provider, cancelled). ``captured``/``refunded``: the amounts so far (NOK).
    """

    reference: str
    state: str
    captured: Decimal = Decimal("0")
    refunded: Decimal = Decimal("0")

    PENDING = "pending"
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    FAILED = "failed"


class Provider:
    """An online payment provider. Subclasses set ``key`` and ``label`` and implement all."""

    key = ""
    label = ""

    @classmethod
    def is_configured(cls) -> bool:
        """Whether the settings switch it on (its keys are set)."""
        raise NotImplementedError

    def start(self, *, reference: str, amount: Decimal, description: str, return_url: str):
        """Begin a payment of ``amount`` under our ``reference``; return Started."""
        raise NotImplementedError

    def handle_callback(self, request) -> Status:
        """Verify a callback (webhook) request and return what it says; raise Refused."""
        raise NotImplementedError

    def status(self, reference: str) -> Status:
        """Ask the provider how the payment stands (polling)."""
        raise NotImplementedError

    def capture(self, reference: str, amount: Decimal) -> None:
        raise NotImplementedError

    def refund(self, reference: str, amount: Decimal, *, key: str) -> None:
        """Refund ``amount``; ``key`` makes a retried refund the same one."""
        raise NotImplementedError

    def cancel(self, reference: str) -> None:
        """Cancel a payment not captured (the payer can no longer complete it)."""
        raise NotImplementedError
