/* The map of a programme area's member villages (templates/villages/area_detail.html).
 *
 * Reads its data from the JSON script element #area-map-data (village points,
 * GeoJSON boundaries, pilot status and the colour of the latest index status)
 * and draws them with Leaflet, larger and ringed, over the kecamatan and the
 * other villages of the regency (static/js/map_context.js, from context_url),
 * all coloured by index status as the legend says. With no tile server
 * configured the map shows only these shapes, which is enough to see where the
 * villages lie. No inline styles: colours are set on SVG paths.
 */
(function () {
  "use strict";

  var dataElement = document.getElementById("area-map-data");
  var container = document.getElementById("area-map");
  if (!dataElement || !container || typeof L === "undefined") {
    return;
  }
  var data = JSON.parse(dataElement.textContent);

  var map = window.portalMap(container);
  if (data.tile_url) {
    L.tileLayer(data.tile_url, { maxZoom: 18 }).addTo(map);
  }

  function popup(village) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = village.url;
    link.textContent = village.name;
    box.appendChild(link);
    [village.status_label, village.index_status].forEach(function (text) {
      if (text) {
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(text));
      }
    });
    return box;
  }

  var layers = [];
  data.villages.forEach(function (village) {
    var colour = village.color;
    if (village.boundary) {
      layers.push(
        L.geoJSON(village.boundary, {
          style: { color: "#212529", weight: 2, fillColor: colour, fillOpacity: 0.3 }
        }).bindPopup(popup(village))
      );
    }
    if (village.lat !== null && village.lng !== null) {
      layers.push(
        L.circleMarker([village.lat, village.lng], {
          radius: 8,
          color: "#212529",
          weight: 2.5,
          fillColor: colour,
          fillOpacity: 1
        })
          .bindPopup(popup(village))
          .bindTooltip(village.name)
      );
    }
  });

  if (data.context_url && window.portalMapContext) {
    window.portalMapContext(map, data.context_url, { linkLabel: container.dataset.linkLabel }).catch(function () {});
  }

  var group = L.featureGroup(layers).addTo(map);
  if (group.getLayers().length) {
    map.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 14 });
  } else {
    map.setView([-2.5, 118], 4);
  }
})();
