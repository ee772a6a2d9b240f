/* The village page's map: its boundary and point, drawn without tiles unless a tile URL is set. */
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  document.querySelectorAll("[data-village-map]").forEach(function (element) {
    var source = document.getElementById(element.dataset.villageMap);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var map = window.portalMap(element);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 18 }).addTo(map);
    }
    var shapes = L.featureGroup().addTo(map);
    if (data.boundary) {
      L.geoJSON(data.boundary, {
        style: { color: data.color, weight: 2, fillColor: data.color, fillOpacity: 0.25 },
      }).addTo(shapes);
    }
    if (data.point) {
      L.circleMarker(data.point, {
        radius: 7, color: "#ffffff", weight: 2, fillColor: data.color, fillOpacity: 1,
      }).bindTooltip(data.name).addTo(shapes);
    }
    if (data.boundary) {
      map.fitBounds(shapes.getBounds(), { padding: [16, 16] });
    } else {
      map.setView(data.point, 13);
    }
    L.control.scale({ imperial: false }).addTo(map);
  });
})();
