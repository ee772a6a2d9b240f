/* The map of pilot villages: points and boundaries from the GeoJSON endpoint, coloured by
   index status, with a popup per village, over the kecamatan and the other villages of their
   regencies (static/js/map_context.js). Drawn without tiles unless a tile URL is set. */
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  var element = document.querySelector("[data-villages-map]");
  if (!element) return;
  var config = JSON.parse(document.getElementById(element.dataset.villagesMap).textContent);
  // All of Indonesia until the villages are loaded.
  var map = window.portalMap(element).setView([-2.5, 118], 5);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: 18 }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);

  // Around them: the kecamatan and every village of their regencies (static/js/map_context.js).
  if (config.contextUrl && window.portalMapContext) {
    window.portalMapContext(map, config.contextUrl, { linkLabel: element.dataset.linkLabel }).catch(function () {});
  }

  fetch(config.dataUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        // Applied to every shape of a village, its point too: a dark outline, as the legend shows.
        style: function (feature) {
          return { color: "#212529", weight: 2, fillColor: feature.properties.color, fillOpacity: 0.5 };
        },
        pointToLayer: function (feature, latlng) {
          var color = feature.properties.color;
          // Larger, with a dark ring: the pilot villages stand out from the regency's other villages.
          return L.circleMarker(latlng, { radius: 8, color: "#212529", weight: 2, fillColor: color, fillOpacity: 1 });
        },
        onEachFeature: function (feature, shape) {
          shape.bindPopup(
            window.portalMapPopup(feature.properties, element.dataset.linkLabel, [feature.properties.pilot_status])
          );
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
