/* The favourites page: the visitor's favourite studios (favourites.js) from the studios'
   GeoJSON. With a day chosen, the studios open that day make a route in the order of
   route.js, each with that day's hours and directions; those closed that day are listed
   apart; the map (map.js) shows the route only. Without open days (none set yet), the
   favourites are listed in number order. */
(function () {
  "use strict";

  var container = document.getElementById("studio-map");
  var list = document.getElementById("favourite-list");
  var empty = document.getElementById("favourites-empty");
  var heading = document.getElementById("route-heading");
  var closedSection = document.getElementById("favourites-closed");
  var closedList = document.getElementById("favourite-closed");
  var select = document.getElementById("route-day");
  var dayName = document.getElementById("route-day-name");
  if (!container || !list || !window.KulturvestMap || !window.KulturvestFavourites || !window.KulturvestRoute) return;

  var studioMap = null;
  var features = [];

  function byNumber(a, b) {
    var first = a.properties.number === null ? Infinity : a.properties.number;
    var second = b.properties.number === null ? Infinity : b.properties.number;
    return first - second || a.id - b.id;
  }

  function item(feature, hours) {
    var entry = document.createElement("li");
    entry.className = "favourite";
    entry.id = "favourite-" + feature.id;
    entry.append(window.KulturvestMap.studioCard(feature, hours ? { hours: [hours] } : undefined));
    return entry;
  }

  function render() {
    var chosen = window.KulturvestFavourites.ids();
    var favourites = features.filter(function (feature) {
      return chosen.indexOf(feature.id) !== -1;
    }).sort(byNumber);
    var stops;
    var closed = [];
    if (select) {
      var plan = window.KulturvestRoute.plan(favourites, select.value);
      stops = plan.route;
      closed = plan.closed;
      dayName.textContent = select.options[select.selectedIndex].text;
    } else {
      stops = favourites.map(function (feature) { return { feature: feature, hours: null }; });
    }
    list.replaceChildren.apply(list, stops.map(function (stop) { return item(stop.feature, stop.hours); }));
    closedList.replaceChildren.apply(closedList, closed.map(function (feature) { return item(feature, null); }));
    empty.hidden = favourites.length > 0;
    heading.hidden = favourites.length === 0;
    closedSection.hidden = closed.length === 0;
    container.hidden = stops.length === 0;
    if (stops.length) {
      if (!studioMap) studioMap = window.KulturvestMap.create(container);
      studioMap.map.invalidateSize();
      var shown = stops.map(function (stop) { return stop.feature; });
      studioMap.setFeatures(shown);
      if (select) studioMap.setRoute(shown);
    }
  }

  if (select) {
    select.addEventListener("change", function () {
      var url = new URL(window.location.href);
      url.searchParams.set("day", select.value);
      window.history.replaceState(null, "", url);
      render();
    });
  }

  window.KulturvestMap.load(container).then(function (loaded) {
    features = loaded;
    render();
    document.addEventListener("favourites-changed", render);
  }).catch(function () {
    window.KulturvestMap.showError(container);
  });
})();
