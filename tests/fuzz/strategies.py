"""Settings shared by the property tests: bounded, reproducible, no deadline."""

import os

from hypothesis import HealthCheck, settings

# The same examples on every run (derandomize), so that CI is reproducible; a deeper run
# for a developer: KULTURVEST_PROPERTY_EXAMPLES=500.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("KULTURVEST_PROPERTY_EXAMPLES", "50")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
