/* Kulturvest: the few behaviours every page shares.
 *
 * Loaded in <head> without defer so that <html> is marked .js before the first paint:
 * the stylesheet folds the menu only when this script is there to open it.
 * - The menu button opens and closes the menu (aria-expanded); Escape closes it and
 *   gives the focus back to the button.
 * - On load, an error summary (.error-summary) or else the messages (.messages) take
 *   the focus and come into view, so that a screen reader reads them at once.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setOpen(button, menu, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }

  function initMenu() {
    var button = document.querySelector(".menu-button[aria-controls]");
    if (!button) return;
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    setOpen(button, menu, false);
    button.addEventListener("click", function () {
      setOpen(button, menu, button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(button, menu, false);
        button.focus();
      }
    });
    document.addEventListener("click", function (event) {
      var nav = button.closest("[data-menu]") || menu;
      if (button.getAttribute("aria-expanded") === "true" && !nav.contains(event.target)) {
        setOpen(button, menu, false);
      }
    });
  }

  function focusFirstNotice() {
    // An element that asks for the focus itself (autofocus) keeps it.
    if (document.activeElement && document.activeElement !== document.body) return;
    var target = document.querySelector(".error-summary") || document.querySelector("[data-messages]");
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }

  function init() {
    initMenu();
    focusFirstNotice();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
