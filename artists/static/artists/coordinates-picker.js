/* Pick a studio's coordinates on a map: a click (or dragging the marker) writes the
   latitude and longitude fields; typing in the fields moves the marker. The container
   #coordinates-map carries the tile URL, its attribution and the field ids in data-
   attributes. Without JavaScript or tiles, the fields are typed as before. */
(function () {
  "use strict";

  function start() {
    var box = document.getElementById("coordinates-map");
    if (!box || !window.L) return;
    var latitude = document.getElementById(box.dataset.latitude);
    var longitude = document.getElementById(box.dataset.longitude);
    if (!latitude || !longitude) return;
    box.hidden = false;
    var centre = [Number(box.dataset.centreLatitude), Number(box.dataset.centreLongitude)];
    var map = L.map(box).setView(centre, 9);
    L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);
    var marker = null;

    function typed() {
      var lat = parseFloat(latitude.value.replace(",", "."));
      var lon = parseFloat(longitude.value.replace(",", "."));
      return isNaN(lat) || isNaN(lon) ? null : [lat, lon];
    }

    function place(point, write) {
      if (!marker) {
        marker = L.marker(point, { draggable: true, title: box.dataset.markerTitle }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
      } else {
        marker.setLatLng(point);
      }
      if (write) {
        var at = L.latLng(point);
        latitude.value = at.lat.toFixed(6);
        longitude.value = at.lng.toFixed(6);
      }
    }

    var known = typed();
    if (known) {
      place(known, false);
      map.setView(known, 15);
    }
    map.on("click", function (event) { place(event.latlng, true); });
    [latitude, longitude].forEach(function (field) {
      field.addEventListener("change", function () {
        var point = typed();
        if (point) { place(point, false); map.panTo(point); }
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
