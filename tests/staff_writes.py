"""Write as staff do, for tests of what a write changes: post an admin change form as a
browser would (what the page shows, with some changes), or re-import exported rows."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """Collect the values a browser would submit from the admin's change form (the form
    whose id ends in "_form"; the header's logout form is another)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._done = False
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._done:
            return
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form or "name" not in attrs:
            if tag == "option" and self._select is not None:
                if self._first_option is None:
                    self._first_option = attrs.get("value", "")
                if "selected" in attrs:
                    self._add(self._select, attrs.get("value", ""))
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = name
            self._first_option = None
            self.data.setdefault(name, [])
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea is not None:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            # Without a selected option a browser sends the first one.
            if self._select is not None and not self.data[self._select] and self._first_option:
                self._add(self._select, self._first_option)
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                # Browsers drop the newline that follows <textarea>.
                value = self.data[self._textarea][-1]
                self.data[self._textarea][-1] = value.removeprefix("\n")
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form = False
            self._done = True


def post_change_form(client, url: str, changes: dict):
    """GET an admin change page, change some fields, POST it; return the response."""
    page = client.get(url)
    assert page.status_code == 200
    fields = _FormFields()
    fields.feed(page.content.decode())
    data = dict(fields.data)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    data["_save"] = ["Save"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        response.context.get("errors"),
        [formset.errors for formset in response.context.get("inline_admin_formsets", [])],
    ]
    return response


def change_in_admin(client, user, url: str, changes: dict):
    """Return a function that logs `user` in, posts the admin change form at `url` with
    `changes` (post_change_form()) and logs out again."""

    def change():
        client.force_login(user)
        post_change_form(client, url, changes)
        client.logout()

    return change


def reimported(resource, queryset, **changes):
    """Export rows, change some columns, import them again (django-import-export)."""
    dataset = resource.export(queryset)
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    del dataset[0 : len(rows)]
    for row in rows:
        dataset.append([changes.get(header, row[header]) for header in dataset.headers])
    result = resource.import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), [
        (row.number, row.errors, row.field_specific_errors) for row in result.invalid_rows
    ]
    return result
