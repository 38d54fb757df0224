"""The proof's processes show their logs in the report of a check that fails."""

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    cluster = getattr(item, "funcargs", {}).get("cluster")
    if report.failed and cluster is not None:
        for name, tail in cluster.logs():
            report.sections.append((f"log of {name} (last lines)", tail))
    return report
