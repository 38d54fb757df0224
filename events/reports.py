"""The annual report for a year: each programme's app contributes its sentences.

An app registers a provider, a function (year) -> [ReportSection], in its AppConfig.ready();
the report page prints the sections of every provider, in the order they were registered,
so that events imports none of the apps.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportSection:
    title: str
    sentences: list[str] = field(default_factory=list)


AnnualReportProvider = Callable[[int], list[ReportSection]]
_providers: list[AnnualReportProvider] = []


def register_annual_report(provider: AnnualReportProvider) -> AnnualReportProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def annual_report(year: int) -> list[ReportSection]:
    """Return every programme's sections of the annual report for a year."""
    return [section for provider in _providers for section in provider(year)]
