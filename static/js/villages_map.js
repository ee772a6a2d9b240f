/* The map of pilot villages: points and boundaries from the GeoJSON endpoint, coloured by
   index status, with a popup per village. Drawn without tiles unless a tile URL is set. */
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  var element = document.querySelector("[data-villages-map]");
  if (!element) return;
  var config = JSON.parse(document.getElementById(element.dataset.villagesMap).textContent);
  // All of Indonesia until the villages are loaded.
  var map = L.map(element, { scrollWheelZoom: false }).setView([-2.5, 118], 5);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: 18 }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);

  function popup(properties) {
    var box = document.createElement("div");
    var title = document.createElement("div");
    title.className = "map-popup-title";
    title.textContent = properties.name + " (" + properties.code + ")";
    box.appendChild(title);
    var lines = [
      properties.district,
      properties.pilot_status,
      properties.value_display
        ? properties.index + " " + properties.year + ": " + properties.value_display + " · " + properties.status
        : properties.status,
    ];
    lines.forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = element.dataset.linkLabel || "→";
    box.appendChild(link);
    return box;
  }

  fetch(config.dataUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          var color = feature.properties.color;
          return { color: color, weight: 1.5, fillColor: color, fillOpacity: 0.35 };
        },
        pointToLayer: function (feature, latlng) {
          var color = feature.properties.color;
          return L.circleMarker(latlng, { radius: 6, color: "#ffffff", weight: 2, fillColor: color, fillOpacity: 1 });
        },
        onEachFeature: function (feature, shape) {
          shape.bindPopup(popup(feature.properties));
          shape.bindTooltip(feature.properties.name);
        },
      }).addTo(map);
      if (collection.features.length) {
        map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 13 });
      }
    })
    .catch(function () {
      var message = document.querySelector("[data-map-error]");
      if (message) message.classList.remove("d-none");
    });
})();
