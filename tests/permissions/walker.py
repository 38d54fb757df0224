"""Find every URL pattern of the site in the URL resolver, and fill in its parameters.

Each pattern gets a stable key for the expectations table: ``namespace:name`` when the
name is unique, with ``.format`` added for the API's format-suffix variants, and the route
itself (``admin/orchestra/member/<path:object_id>/``) for patterns without a name.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

# A group in a regex route: (?P<name>...), with nested parentheses of one level.
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")
# A converter in a path route: <int:pk>, <slug:edition>, <token>.
ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass
class Pattern:
    key: str
    route: str  # the full route, as the resolver prints it
    name: str | None  # namespace:name, or None
    parts: list  # (pattern object, is_regex) from the root down
    params: list[str]
    callback: object
    default_kwargs: dict

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/v1/")

    @property
    def admin_model(self):
        """The model of an admin page of one ModelAdmin, if it is one."""
        model_admin = getattr(self.callback, "model_admin", None)
        return model_admin.model if model_admin is not None else None

    @property
    def api_view(self):
        """The DRF view class of an API route, if it is one."""
        return getattr(self.callback, "cls", None)

    @property
    def api_basename(self) -> str | None:
        """The router's basename of an API route (``member`` for member-list)."""
        return (getattr(self.callback, "initkwargs", None) or {}).get("basename")

    @property
    def api_action(self) -> str | None:
        """The viewset action a GET reaches (list, retrieve, an @action's name)."""
        actions = getattr(self.callback, "actions", None) or {}
        return actions.get("get")

    def path(self, values: dict) -> str:
        """Return the URL of the pattern with its parameters filled in from ``values``."""
        url = ""
        for part, is_regex in self.parts:
            text = str(part)
            if is_regex:
                text = REGEX_GROUP.sub(lambda m: str(values[m.group("name")]), text)
                text = text.lstrip("^").rstrip("$")
                text = text.replace("/?", "/").replace("\\.", ".")
            else:
                text = ROUTE_PARAM.sub(lambda m: str(values[m.group("name")]), text)
            url += text
        return "/" + url


def _params(parts) -> list[str]:
    names = []
    for part, is_regex in parts:
        text = str(part)
        pattern = REGEX_GROUP if is_regex else ROUTE_PARAM
        names += [m.group("name") for m in pattern.finditer(text)]
    return names


def _walk(resolver, parts, namespace, found):
    for entry in resolver.url_patterns:
        part = (entry.pattern, isinstance(entry.pattern, RegexPattern))
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            _walk(entry, [*parts, part], inner, found)
        elif isinstance(entry, URLPattern):
            chain = [*parts, part]
            name = None
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            found.append(
                Pattern(
                    key="",
                    route="".join(str(p) for p, _ in chain),
                    name=name,
                    parts=chain,
                    params=_params(chain),
                    callback=entry.callback,
                    default_kwargs=dict(entry.default_args),
                )
            )


def discover() -> list[Pattern]:
    """Return every pattern of the root URLconf, each with its key."""
    found: list[Pattern] = []
    _walk(get_resolver(), [], "", found)
    for pattern in found:
        if (
            pattern.name
            and pattern.route.startswith("api/v1/")
            and not pattern.name.startswith("api:")
        ):
            pattern.name = f"api:{pattern.name}"
    names = Counter(p.name for p in found if p.name)
    for pattern in found:
        if pattern.name is None:
            pattern.key = pattern.route
        elif names[pattern.name] == 1:
            pattern.key = pattern.name
        elif "format" in pattern.params:
            pattern.key = f"{pattern.name}.format"
        else:
            pattern.key = pattern.name
    # A name used twice for the same kind of route (an include() that repeats a pattern):
    # the later ones are numbered, so that each still has its own row in the table.
    seen = Counter()
    for pattern in found:
        seen[pattern.key] += 1
        if seen[pattern.key] > 1:
            pattern.key = f"{pattern.key}#{seen[pattern.key]}"
    return found
