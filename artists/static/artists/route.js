/* A day's route through the visitor's favourite studios: a pure function of the studios'
   GeoJSON features and a day, used by favourites-page.js and tested in the browser
   (tests/e2e/test_studio_route.py).

   The rule: the studios open on the day make the route; the others are "closed" (in
   number order). The route starts at the studio that opens first; each next stop is,
   among the studios not yet on the route, the one that opens first, and among those
   that open at the same time the nearest to the previous stop (great-circle distance).
   Remaining ties go to the lower studio number, then the lower id. So a visitor never
   has to wait for a studio that opens later while one that is open already is left,
   and among those open they go to the nearest next. */
(function () {
  "use strict";

  var EARTH_RADIUS_M = 6371000;

  /* Return the great-circle distance in metres between two GeoJSON points. */
  function distance(first, second) {
    var radians = Math.PI / 180;
    var lon1 = first.geometry.coordinates[0] * radians;
    var lat1 = first.geometry.coordinates[1] * radians;
    var lon2 = second.geometry.coordinates[0] * radians;
    var lat2 = second.geometry.coordinates[1] * radians;
    var a = Math.pow(Math.sin((lat2 - lat1) / 2), 2) +
      Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin((lon2 - lon1) / 2), 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function hoursOn(feature, day) {
    return feature.properties.hours.filter(function (hours) {
      return hours.date === day;
    })[0] || null;
  }

  function number(feature) {
    return feature.properties.number === null ? Infinity : feature.properties.number;
  }

  function byNumber(a, b) {
    return number(a) - number(b) || a.id - b.id;
  }

  /* Return {route: [{feature, hours}], closed: [feature]} for the day ("YYYY-MM-DD"). */
  function plan(features, day) {
    var open = [];
    var closed = [];
    features.forEach(function (feature) {
      var hours = hoursOn(feature, day);
      if (hours) open.push({ feature: feature, hours: hours });
      else closed.push(feature);
    });
    var route = [];
    var previous = null;
    while (open.length) {
      var best = 0;
      for (var index = 1; index < open.length; index += 1) {
        if (before(open[index], open[best], previous)) best = index;
      }
      previous = open.splice(best, 1)[0];
      route.push(previous);
    }
    return { route: route, closed: closed.sort(byNumber) };
  }

  /* Whether the stop candidate comes before the stop best, after the stop previous. */
  function before(candidate, best, previous) {
    // "HH:MM:SS" strings compare as times.
    if (candidate.hours.opens !== best.hours.opens) return candidate.hours.opens < best.hours.opens;
    if (previous) {
      var nearer = distance(previous.feature, candidate.feature) - distance(previous.feature, best.feature);
      if (nearer !== 0) return nearer < 0;
    }
    return byNumber(candidate.feature, best.feature) < 0;
  }

  window.KulturvestRoute = { plan: plan, distance: distance };
})();
