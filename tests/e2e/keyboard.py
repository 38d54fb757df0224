"""The journeys with the keyboard alone: reach each element with Tab (or Shift+Tab) and
use it with Enter, Space, arrows and typing, as a person without a mouse does.

``Hands(page, mode)`` offers the few actions the journeys take (click, fill, check,
select, upload). In ``pointer`` mode they are Playwright's own; in ``keyboard`` mode each
one first moves the focus to the element with Tab presses, asserting on the way that every
element that takes the focus shows it (an outline or a box-shadow) and that the element is
reached within MAX_TABS presses (no trap, nothing unreachable), then acts with keys.
"""

import pytest

MODES = ["pointer", "keyboard"]
# A cap on Tab presses to reach one element: more means a trap or an unreachable element.
MAX_TABS = 120

# The focused element, and whether it shows the focus: an outline or a box-shadow on it, or,
# for an input drawn invisible (a radio button styled as a big button), on the element that
# draws it (its next sibling, or its label); a date field highlights its focused part.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const marked = (node) => {
    if (!node) return false;
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && style.outlineColor !== "transparent" && style.outlineColor !== "rgba(0, 0, 0, 0)";
    return outline || (style.boxShadow !== "none" && style.boxShadow !== "");
  };
  const drawn = getComputedStyle(el).opacity === "0" || el.offsetWidth <= 1;
  const drawer = drawn && (marked(el.nextElementSibling) || marked(el.closest("label")));
  // A date or time field: the focus is on one of its parts (day, month, year), which the
  // browser itself shows highlighted; the field does not match :focus-visible meanwhile.
  const parts = ["date", "time", "datetime-local", "month", "week"].includes(el.type);
  const visible = marked(el) || drawer || parts;
  return {visible, html: el.outerHTML.slice(0, 160)};
}"""

# Whether the focus is on the element (a radio: on a radio of its group), and if not,
# whether the element comes after the focus in the document (Tab) or before (Shift+Tab).
WHERE = """(el) => {
  const active = document.activeElement;
  const same = active === el || (el.type === "radio" && active && active.type === "radio"
    && active.name === el.name && active.form === el.form);
  if (same) return "here";
  if (!active || active === document.body) return "after";
  return (el.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_PRECEDING)
    ? "after" : "before";
}"""

# The element a click on this one would use: itself, or its nearest focusable ancestor
# (a summary's text, a label's text inside a button).
FOCUSABLE = """(el) => el.closest(
  "a[href], button, summary, input, select, textarea, [tabindex]:not([tabindex='-1'])"
) || el"""


@pytest.fixture(params=MODES)
def mode(request):
    """Run the journey with the pointer, then with the keyboard alone."""
    return request.param


class Hands:
    def __init__(self, page, mode: str):
        assert mode in MODES
        self.page = page
        self.keyboard = mode == "keyboard"
        # Added to the names of a journey's screenshots in keyboard mode.
        self.suffix = "-keyboard" if self.keyboard else ""

    # --- moving the focus ------------------------------------------------------------------

    def focus(self, locator):
        """Press Tab (or Shift+Tab) until the element has the focus; return its handle."""
        locator.wait_for(state="visible")
        handle = locator.evaluate_handle(FOCUSABLE)
        seen = []
        for _ in range(MAX_TABS):
            where = handle.evaluate(WHERE)
            if where == "here":
                return handle
            self.page.keyboard.press("Tab" if where == "after" else "Shift+Tab")
            focused = self.page.evaluate(FOCUSED)
            if focused is not None:
                seen.append(focused["html"])
                assert focused["visible"], f"no visible focus on {focused['html']}"
        last = "\n  ".join(seen[-8:])
        raise AssertionError(
            f"{MAX_TABS} Tab presses did not reach {locator}: a trap, or not reachable by "
            f"keyboard; the focus went last through:\n  {last}"
        )

    # --- acting ----------------------------------------------------------------------------

    def click(self, locator) -> None:
        """Follow a link, press a button, open a summary."""
        if not self.keyboard:
            locator.click()
            return
        handle = self.focus(locator)
        kind = handle.evaluate("el => el.tagName + ':' + (el.type || '')")
        if kind in ("INPUT:checkbox", "INPUT:radio"):
            self.page.keyboard.press("Space")
        else:
            self.page.keyboard.press("Enter")

    def fill(self, locator, text: str) -> None:
        if not self.keyboard:
            locator.fill(text)
            return
        handle = self.focus(locator)
        kind = handle.evaluate("el => el.type")
        if kind == "date":
            # A native date field takes its parts as typed digits, in the locale's order
            # (the browser tests run in en-US: month, day, year).
            year, month, day = text.split("-")
            self.page.keyboard.type(month + day + year)
        else:
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.press("Delete")
            self.page.keyboard.type(text)
        assert locator.input_value() == text, (
            f"typed {text!r}, the field has {locator.input_value()!r}"
        )

    def check(self, locator) -> None:
        """Tick a checkbox, or choose a radio button (arrows move within its group)."""
        if not self.keyboard:
            locator.check()
            return
        handle = self.focus(locator)
        if handle.evaluate("el => el.type") == "radio":
            for _ in range(MAX_TABS):
                if handle.evaluate("el => el === document.activeElement"):
                    break
                self.page.keyboard.press("ArrowDown")
            else:
                raise AssertionError(f"the arrow keys do not reach {locator} in its group")
        if not handle.evaluate("el => el.checked"):
            self.page.keyboard.press("Space")
        assert handle.evaluate("el => el.checked"), f"{locator} is not checked"

    def select(self, locator, *, label: str | None = None, value: str | None = None) -> None:
        """Choose an option of a select by its label or value (arrow keys on the field)."""
        if not self.keyboard:
            locator.select_option(label=label) if label is not None else locator.select_option(
                value
            )
            return
        handle = self.focus(locator)
        target = handle.evaluate(
            """(el, [label, value]) => [...el.options].findIndex((option) =>
                 label !== null ? option.label.trim() === label : option.value === value)""",
            [label, value],
        )
        assert target >= 0, f"{locator} has no option {label or value!r}"
        for _ in range(len(handle.evaluate("el => [...el.options].map(o => o.value)")) + 1):
            current = handle.evaluate("el => el.selectedIndex")
            if current == target:
                break
            self.page.keyboard.press("ArrowDown" if current < target else "ArrowUp")
        assert handle.evaluate("el => el.selectedIndex") == target

    def upload(self, locator, files) -> None:
        """Choose a file: the system's file dialog is outside the page, so the keyboard
        mode reaches the field with Tab and hands the file over as the dialog would."""
        if self.keyboard:
            self.focus(locator)
        locator.set_input_files(files)

    def press_enter_in(self, locator) -> None:
        """Send a form from one of its fields with Enter (both modes)."""
        if self.keyboard:
            self.focus(locator)
            self.page.keyboard.press("Enter")
        else:
            locator.press("Enter")
