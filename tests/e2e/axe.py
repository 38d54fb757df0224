"""axe-core in the browser tests: inject the vendored copy, run the WCAG A/AA rules, and
say what it found in a way a person can act on (rule, impact, where, on which page)."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from core.accessibility import AXE_TAGS, AXE_VERSION

AXE_DIR = Path(settings.BASE_DIR) / "tests" / "vendor" / f"axe-core-{AXE_VERSION}"
AXE_SCRIPT = AXE_DIR / "axe.min.js"

RUN = """(tags) => axe.run(document, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
}).then((results) => results.violations.map((violation) => ({
  rule: violation.id,
  impact: violation.impact,
  help: violation.help,
  targets: violation.nodes.map((node) => node.target.join(" ")),
  summary: violation.nodes.length ? violation.nodes[0].failureSummary : "",
})))"""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    summary: str

    def describe(self, where: str = "") -> str:
        shown = ", ".join(self.targets[:5]) + (" …" if len(self.targets) > 5 else "")
        summary = " ".join(self.summary.split())[:300]
        return f"{where}{self.rule} ({self.impact}): {self.help}\n      at {shown}\n      {summary}"


def run_axe(page) -> list[Violation]:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is now.

    The page's context needs ``bypass_csp=True``: the site's Content-Security-Policy
    refuses inline scripts, and the injected axe is one.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    found = page.evaluate(RUN, list(AXE_TAGS))
    return [
        Violation(
            rule=item["rule"],
            impact=item["impact"] or "",
            help=item["help"],
            targets=tuple(item["targets"]),
            summary=item["summary"] or "",
        )
        for item in found
    ]


def assert_no_violations(page, where: str = "") -> None:
    """Fail with a readable list if axe finds any violation on the page."""
    violations = run_axe(page)
    where = where or page.url
    assert not violations, f"axe-core {AXE_VERSION} on {where}:\n  " + "\n  ".join(
        violation.describe() for violation in violations
    )
