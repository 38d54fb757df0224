/* The favourites page: the visitor's favourite studios (favourites.js) as a list in
   number order and on a map (map.js), both from the studios' GeoJSON. */
(function () {
  "use strict";

  var container = document.getElementById("studio-map");
  var list = document.getElementById("favourite-list");
  var empty = document.getElementById("favourites-empty");
  if (!container || !list || !window.KulturvestMap || !window.KulturvestFavourites) return;

  var studioMap = null;
  var features = [];

  function byNumber(a, b) {
    var first = a.properties.number === null ? Infinity : a.properties.number;
    var second = b.properties.number === null ? Infinity : b.properties.number;
    return first - second || a.id - b.id;
  }

  function render() {
    var chosen = window.KulturvestFavourites.ids();
    var shown = features.filter(function (feature) {
      return chosen.indexOf(feature.id) !== -1;
    }).sort(byNumber);
    list.replaceChildren();
    shown.forEach(function (feature) {
      var item = document.createElement("li");
      item.className = "favourite";
      item.id = "favourite-" + feature.id;
      item.append(window.KulturvestMap.studioCard(feature));
      list.append(item);
    });
    empty.hidden = shown.length > 0;
    container.hidden = shown.length === 0;
    if (shown.length) {
      if (!studioMap) studioMap = window.KulturvestMap.create(container);
      studioMap.map.invalidateSize();
      studioMap.setFeatures(shown);
    }
  }

  window.KulturvestMap.load(container).then(function (loaded) {
    features = loaded;
    render();
    document.addEventListener("favourites-changed", render);
  }).catch(function () {
    window.KulturvestMap.showError(container);
  });
})();
