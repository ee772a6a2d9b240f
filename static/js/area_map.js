/* The map of a programme area's member villages (templates/villages/area_detail.html).
 *
 * Reads its data from the JSON script element #area-map-data (village points,
 * GeoJSON boundaries and pilot status) and draws them with Leaflet. With no
 * tile server configured the map shows only these shapes, which is enough to
 * see where the villages lie. No inline styles: colours are set on SVG paths.
 */
(function () {
  "use strict";

  var dataElement = document.getElementById("area-map-data");
  var container = document.getElementById("area-map");
  if (!dataElement || !container || typeof L === "undefined") {
    return;
  }
  var data = JSON.parse(dataElement.textContent);

  // The Bootstrap colours of the status badges in the legend.
  var colours = {
    calon: "#6c757d",
    dinilai: "#0dcaf0",
    ditetapkan: "#198754",
    lulus: "#0d6efd",
    batal: "#dc3545",
    "": "#ffc107"
  };

  var map = L.map(container, { scrollWheelZoom: false });
  if (data.tile_url) {
    L.tileLayer(data.tile_url, { maxZoom: 18 }).addTo(map);
  }

  function popup(village) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = village.url;
    link.textContent = village.name;
    box.appendChild(link);
    if (village.status_label) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(village.status_label));
    }
    return box;
  }

  var layers = [];
  data.villages.forEach(function (village) {
    var colour = colours[village.status] || colours[""];
    if (village.boundary) {
      layers.push(
        L.geoJSON(village.boundary, {
          style: { color: colour, weight: 1.5, fillOpacity: 0.2 }
        }).bindPopup(popup(village))
      );
    }
    if (village.lat !== null && village.lng !== null) {
      layers.push(
        L.circleMarker([village.lat, village.lng], {
          radius: 6,
          color: "#212529",
          weight: 1,
          fillColor: colour,
          fillOpacity: 0.9
        })
          .bindPopup(popup(village))
          .bindTooltip(village.name)
      );
    }
  });

  var group = L.featureGroup(layers).addTo(map);
  if (group.getLayers().length) {
    map.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 14 });
  } else {
    map.setView([-2.5, 118], 4);
  }
})();
