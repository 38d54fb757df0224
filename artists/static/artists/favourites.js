/* Favourite studios, kept in this browser's localStorage (no login, nothing sent).

   The edition comes from the nearest [data-favourites] element; each
   .favourite-toggle[data-studio] button shows and toggles one studio. Buttons stay
   hidden where scripts or storage are unavailable. */
(function () {
  "use strict";

  var root = document.querySelector("[data-favourites]");
  var key = "kulturvest.favourites." + (root ? root.dataset.favourites : "");

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function ids() {
    var store = storage();
    if (!store) return [];
    try {
      var list = JSON.parse(store.getItem(key) || "[]");
      return Array.isArray(list) ? list.filter(Number.isInteger) : [];
    } catch (error) {
      return [];
    }
  }

  function has(id) {
    return ids().indexOf(id) !== -1;
  }

  function sync(scope) {
    var usable = storage() !== null;
    (scope || document).querySelectorAll(".favourite-toggle").forEach(function (button) {
      var id = Number(button.dataset.studio);
      button.hidden = !usable || !Number.isInteger(id) || button.dataset.studio === "";
      button.setAttribute("aria-pressed", has(id) ? "true" : "false");
    });
  }

  function toggle(id) {
    var store = storage();
    if (!store) return false;
    var list = ids();
    var at = list.indexOf(id);
    if (at === -1) list.push(id);
    else list.splice(at, 1);
    try {
      store.setItem(key, JSON.stringify(list));
    } catch (error) {
      return false;
    }
    sync();
    document.dispatchEvent(new CustomEvent("favourites-changed", { detail: { ids: list } }));
    return at === -1;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".favourite-toggle");
    if (!button || button.dataset.studio === "") return;
    toggle(Number(button.dataset.studio));
  });
  // Another tab of the same site changed the favourites.
  window.addEventListener("storage", function (event) {
    if (event.key === key) {
      sync();
      document.dispatchEvent(new CustomEvent("favourites-changed", { detail: { ids: ids() } }));
    }
  });

  window.KulturvestFavourites = { ids: ids, has: has, toggle: toggle, sync: sync };
  sync();
})();
