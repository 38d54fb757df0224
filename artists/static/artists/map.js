/* The map of the open studios (Leaflet), fed by the studios' GeoJSON.

   The container #studio-map carries everything in data- attributes: the GeoJSON
   address, the tile URL and its attribution, and data-mode: "all" shows every studio
   here; "favourites" leaves the map to favourites-page.js. Studio cards (popups and
   the favourites list) are filled from <template id="studio-card-template">. */
(function () {
  "use strict";

  var language = document.documentElement.lang || "nb";

  function formatHours(hours) {
    var day = new Date(hours.date + "T12:00:00");
    var name = new Intl.DateTimeFormat(language, { weekday: "long", day: "numeric", month: "long" }).format(day);
    return name + ": " + hours.opens.slice(0, 5) + "–" + hours.closes.slice(0, 5);
  }

  function slot(card, name) {
    return card.querySelector('[data-slot="' + name + '"]');
  }

  /* Return a filled studio card (an element) for a GeoJSON feature; options.hours, if
     given, replaces the studio's hours (the favourites' route shows one day's). */
  function studioCard(feature, options) {
    var template = document.getElementById("studio-card-template");
    var card = template.content.firstElementChild.cloneNode(true);
    var studio = feature.properties;
    card.id = "card-" + feature.id;
    slot(card, "number").textContent = studio.number === null ? "" : String(studio.number);
    slot(card, "name").textContent = studio.name;
    studio.artists.forEach(function (artist, index) {
      if (index) slot(card, "artists").append(", ");
      var link = document.createElement("a");
      link.href = artist.url;
      link.textContent = artist.name;
      slot(card, "artists").append(link);
    });
    slot(card, "address").textContent = studio.address;
    slot(card, "step-free").hidden = studio.step_free !== true;
    slot(card, "not-step-free").hidden = studio.step_free !== false;
    (options && options.hours ? options.hours : studio.hours).forEach(function (hours) {
      var item = document.createElement("li");
      item.textContent = formatHours(hours);
      slot(card, "hours").append(item);
    });
    // The links come built from the server (Studio.directions): only their text is made here.
    ["web", "geo"].forEach(function (kind) {
      var link = slot(card, "directions-" + kind);
      link.href = studio.directions[kind];
      link.textContent = link.dataset.label.replace("{studio}", studio.name);
    });
    slot(card, "url").href = studio.url;
    var button = card.querySelector(".favourite-toggle");
    if (button) button.dataset.studio = String(feature.id);
    if (window.KulturvestFavourites) window.KulturvestFavourites.sync(card);
    return card;
  }

  function numberedIcon(number, label) {
    var text = document.createElement("span");
    text.textContent = label || (number === null ? "•" : String(number));
    return L.divIcon({
      className: "studio-marker",
      html: text,
      iconSize: [44, 44],
      iconAnchor: [22, 22],
      popupAnchor: [0, -22],
    });
  }

  /* A group of nearby studios: a round marker with their count (44 px, a target large
     enough for a finger), named for screen readers by the template's wording. */
  function clusterIcon(container) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var html = document.createElement("span");
      var visible = document.createElement("span");
      visible.setAttribute("aria-hidden", "true");
      visible.textContent = String(count);
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = (container.dataset.clusterLabel || "{count}").replace("{count}", count);
      html.append(visible, name);
      return L.divIcon({ className: "studio-cluster", html: html, iconSize: [44, 44] });
    };
  }

  /* Make a Leaflet map in the container; return it with setFeatures(features, labels),
     where labels (optional) maps a feature's id to the text of its marker. */
  function create(container) {
    var map = L.map(container, { scrollWheelZoom: false });
    L.tileLayer(container.dataset.tiles, {
      maxZoom: 19,
      attribution: container.dataset.attribution,
    }).addTo(map);
    // Nearby studios share one marker until the map is zoomed in far enough to part them.
    var layer = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 48,
      iconCreateFunction: clusterIcon(container),
    }).addTo(map);
    var lines = L.layerGroup().addTo(map);
    var markers = {};

    function setFeatures(features, labels) {
      layer.clearLayers();
      lines.clearLayers();
      markers = {};
      features.forEach(function (feature) {
        var coordinates = feature.geometry.coordinates;
        var marker = L.marker([coordinates[1], coordinates[0]], {
          icon: numberedIcon(feature.properties.number, labels && labels[feature.id]),
          title: feature.properties.name,
          keyboard: true,
        });
        marker.bindPopup(function () {
          return studioCard(feature);
        });
        // A screen reader names the marker by number and studio, not by the number alone.
        marker.on("add", function () {
          var number = feature.properties.number;
          marker.getElement().setAttribute(
            "aria-label", (number === null ? "" : number + " ") + feature.properties.name
          );
        });
        layer.addLayer(marker);
        markers[feature.id] = marker;
      });
      if (features.length) {
        map.fitBounds(layer.getBounds(), { padding: [32, 32], maxZoom: 15 });
      } else {
        map.setView([59.8, 10.3], 9);
      }
    }

    /* Draw the route between the features, in their order. */
    function setRoute(features) {
      lines.clearLayers();
      if (features.length < 2) return;
      L.polyline(
        features.map(function (feature) {
          return [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
        }),
        { color: "#1d4f91", weight: 3, dashArray: "6 6", interactive: false }
      ).addTo(lines);
    }

    function open(id) {
      if (markers[id]) layer.zoomToShowLayer(markers[id], function () { markers[id].openPopup(); });
    }

    return { map: map, layer: layer, setFeatures: setFeatures, setRoute: setRoute, open: open };
  }

  function load(container) {
    return fetch(container.dataset.geojson, { headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) throw new Error("GeoJSON: " + response.status);
        return response.json();
      }
    ).then(function (collection) {
      return collection.features;
    });
  }

  function showError(container) {
    var message = document.createElement("p");
    message.className = "notice notice-info";
    message.textContent = container.dataset.error;
    container.replaceWith(message);
  }

  window.KulturvestMap = { create: create, load: load, studioCard: studioCard, showError: showError };

  var container = document.getElementById("studio-map");
  if (!container || container.dataset.mode !== "all") return;
  var studioMap = create(container);
  function openWanted() {
    var wanted = /^#studio-(\d+)$/.exec(window.location.hash);
    if (wanted) studioMap.open(Number(wanted[1]));
  }
  load(container).then(function (features) {
    studioMap.setFeatures(features);
    openWanted();
    window.addEventListener("hashchange", openWanted);
  }).catch(function () {
    showError(container);
  });
})();
