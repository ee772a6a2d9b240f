/* What every Leaflet map of the portal shares (load it after leaflet.js, before the page's map script).
 *
 * The map element is a labelled region (role="region" and aria-label in the template, never
 * role="img": a map holds buttons and links). Leaflet makes it keyboard-focusable (arrow keys pan,
 * +/- zoom). The zoom buttons and a popup's close button are named in the page's language, from the
 * element's data-zoom-in-label, data-zoom-out-label and data-close-label.
 */
(function () {
  "use strict";
  if (typeof L === "undefined") return;

  window.portalMap = function (element, options) {
    var labels = element.dataset;
    var map = L.map(element, Object.assign({ scrollWheelZoom: false, zoomControl: false }, options || {}));
    L.control
      .zoom({
        zoomInTitle: labels.zoomInLabel || "Zoom in",
        zoomOutTitle: labels.zoomOutLabel || "Zoom out",
      })
      .addTo(map);
    if (labels.closeLabel) {
      map.on("popupopen", function (event) {
        var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
        if (close) {
          close.setAttribute("aria-label", labels.closeLabel);
          close.title = labels.closeLabel;
        }
      });
    }
    return map;
  };

  // A village's popup: name and code, its kecamatan, any extra lines (e.g. pilot status), its latest
  // index value and status, and a link to its page. Built as DOM nodes: names are never parsed as HTML.
  window.portalMapPopup = function (properties, linkLabel, extraLines) {
    var box = document.createElement("div");
    var title = document.createElement("div");
    title.className = "map-popup-title";
    title.textContent = properties.name + " (" + properties.code + ")";
    box.appendChild(title);
    var lines = [properties.district].concat(extraLines || [], [
      properties.value_display
        ? properties.index + " " + properties.year + ": " + properties.value_display + " · " + properties.status
        : properties.status,
    ]);
    lines.forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = linkLabel || "→";
    box.appendChild(link);
    return box;
  };
})();
