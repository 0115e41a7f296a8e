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
      var params = new URLSearchParams(window.location.search);
      var lat = parseFloat(params.get("lat")), lon = parseFloat(params.get("lon"));
      if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
        // A point sent from a TPS page: centred and marked (a vector marker, no image).
        map.setView([lat, lon], 12);
        L.circleMarker([lat, lon], { radius: 8, color: "#0d47a1", weight: 3, fillOpacity: 0.2 }).addTo(map);
      } else if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); } else { map.setView([0.5, 116.5], 6); }
      // What the hover tooltips say, as a list a finger can tap.
      var list = document.getElementById("risk-map-list");
      if (list) {
        data.features.forEach(function (feature) {
          var p = feature.properties;
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = p.url;
          link.textContent = p.name;
          item.appendChild(link);
          item.appendChild(document.createTextNode(": " + (p.level ? p.score + " · " + p.open + " " + element.dataset.open : element.dataset.none)));
          list.appendChild(item);
        });
      }
      element.setAttribute("data-loaded", String(layer.getLayers().length));
    });
})();
