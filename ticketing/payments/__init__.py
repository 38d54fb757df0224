"""Paying a registration: online providers (Vipps MobilePay) and the manual methods (bank
transfer, pay at the door).

Which online providers are on is decided by their settings (``providers()``); with none
configured the pages offer the manual methods only. The rules live in
ticketing.payments.services; each provider's API in its own module (base.Provider).
"""

from django.conf import settings

from ticketing.payments.base import Provider
from ticketing.payments.vipps import VippsProvider

# Every provider this installation knows, by key. Stripe comes next (issue 17).
PROVIDERS: dict[str, type[Provider]] = {VippsProvider.key: VippsProvider}

BANK = "bank"
DOOR = "door"
MANUAL = "manual"


def providers() -> list[Provider]:
    """The online providers switched on by the settings, in a fixed order."""
    return [cls() for cls in PROVIDERS.values() if cls.is_configured()]


def provider(key: str) -> Provider | None:
    """The online provider of ``key`` if it is switched on, else None."""
    cls = PROVIDERS.get(key)
    return cls() if cls is not None and cls.is_configured() else None


def bank_account() -> str:
    return settings.PAYMENT_BANK_ACCOUNT
