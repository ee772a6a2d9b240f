/* What the maps draw around the villages they are about (villages/map_context.py): the kecamatan
 * of their regencies as dashed outlines with their names, and every located village of those
 * regencies as a small point coloured by its latest index status, with a popup.
 *
 * Load it after leaflet.js; a page's map script calls
 *   window.portalMapContext(map, url, { linkLabel: "…" })
 * The context lies in its own panes under the page's own shapes, whenever it arrives.
 * Returns a Promise of the layer (rejected when the data cannot be loaded).
 */
(function () {
  "use strict";
  if (typeof L === "undefined") return;

  var DISTRICT_STYLE = { color: "#495057", weight: 1.2, dashArray: "5 4", fill: false };

  function villageStyle(feature) {
    return { color: "#ffffff", weight: 0.5, fillColor: feature.properties.color, fillOpacity: 0.9 };
  }

  function pane(map, name, zIndex) {
    if (!map.getPane(name)) {
      map.createPane(name).style.zIndex = zIndex;
    }
    return name;
  }

  window.portalMapContext = function (map, url, options) {
    options = options || {};
    // Under Leaflet's overlay pane (400), where the page's own shapes are drawn.
    var shapes = pane(map, "context", 350);
    var labels = pane(map, "context-labels", 360);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (collection) {
        var names = L.layerGroup();
        var layer = L.geoJSON(collection, {
          pane: shapes,
          // The outlines only show where a kecamatan lies; the points under them stay clickable.
          interactive: false,
          // Applied to every shape, the villages' points too.
          style: function (feature) {
            return feature.properties.kind === "district" ? DISTRICT_STYLE : villageStyle(feature);
          },
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, Object.assign({ pane: shapes, radius: 3.5 }, villageStyle(feature)));
          },
          onEachFeature: function (feature, shape) {
            var properties = feature.properties;
            if (properties.kind === "district") {
              var where = properties.label ? L.latLng(properties.label) : shape.getBounds().getCenter();
              names.addLayer(
                L.tooltip({ pane: labels, permanent: true, direction: "center", className: "map-district-label" })
                  .setLatLng(where)
                  .setContent(properties.name)
              );
              return;
            }
            shape.bindPopup(window.portalMapPopup(properties, options.linkLabel));
            shape.bindTooltip(properties.name);
          },
        });
        layer.addTo(map);
        names.addTo(map);
        return layer;
      });
  };
})();
