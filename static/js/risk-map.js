// The kab/kota map: outlines from the app's own GeoJSON, no tile server (works offline).
(function () {
  var element = document.getElementById("risk-map");
  if (!element || !window.L) { return; }
  var colours = { low: "#2e7d32", medium: "#f9a825", high: "#ef6c00", extreme: "#c62828" };
  var map = L.map(element, { zoomSnap: 0.25, attributionControl: false });
  fetch(element.dataset.source, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: function (feature) {
          var level = feature.properties.level;
          return { color: "#37474f", weight: 1, fillOpacity: 0.75, fillColor: colours[level] || "#e0e0e0" };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          var text = p.name + ": " + (p.level ? p.score + " · " + p.open + " " + element.dataset.open : element.dataset.none);
          shape.bindTooltip(text, { sticky: true });
          shape.on("click", function () { window.location.href = p.url; });
          shape.getElement && shape.on("add", function () {
            var path = shape.getElement();
            if (path) { path.setAttribute("data-code", p.code); path.setAttribute("data-level", p.level || "none"); }
          });
        }
      }).addTo(map);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); } else { map.setView([0.5, 116.5], 6); }
      element.setAttribute("data-loaded", String(layer.getLayers().length));
    });
})();
