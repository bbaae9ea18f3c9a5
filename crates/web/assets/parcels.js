// The site-selection map: the province drawn offline (the gansu map shipped through
// frontend/package-lock.json), its parks as squares and the listed parcels as dots; a
// click opens the park's or parcel's page. Every datum in a tooltip is escaped.
(function () {
  "use strict";
  var box = document.getElementById("parcel-map");
  if (!box) return;
  var card = document.getElementById("parcel-map-card");
  var data = zs.readJson("parcel-map-data");
  var escapeHtml = zs.escapeHtml;
  // The compare button: at most four parcels at once.
  var form = document.getElementById("compare-form");
  if (form) {
    form.addEventListener("change", function (event) {
      var boxes = form.querySelectorAll('input[name="codes"]:checked');
      if (boxes.length > 4 && event.target.checked) event.target.checked = false;
    });
  }
  fetch(card.dataset.mapUrl).then(function (r) { return r.json(); }).then(function (geo) {
    echarts.registerMap("parcels-province", geo);
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: {
        trigger: "item",
        className: "chart-tooltip",
        formatter: function (p) {
          var d = p.data || {};
          if (p.seriesName === "园区") {
            return escapeHtml(d.name) + "<br>" + escapeHtml(d.level) + " · " + escapeHtml(d.region);
          }
          if (p.seriesName === "地块") {
            return escapeHtml(d.name) + (d.park ? "（" + escapeHtml(d.park) + "）" : "") + "<br>" +
              escapeHtml(d.land_use) + " · " + escapeHtml(d.area_mu) + " 亩 · " +
              (d.price ? escapeHtml(d.price) + " 万元/亩" : "面议") + " · " + escapeHtml(d.status);
          }
          return escapeHtml(p.name);
        }
      },
      geo: {
        map: "parcels-province", roam: true, scaleLimit: { min: 1, max: 200 },
        itemStyle: { areaColor: "#f3f4f6", borderColor: "#9ca3af" },
        emphasis: { itemStyle: { areaColor: "#fde68a" }, label: { show: false } }
      },
      series: [
        { name: "园区", type: "scatter", coordinateSystem: "geo", symbol: "rect", symbolSize: 12,
          itemStyle: { color: "#1d4ed8" }, data: data.parks, zlevel: 2 },
        { name: "地块", type: "scatter", coordinateSystem: "geo", symbolSize: 6, large: data.parcels.length > 2000,
          itemStyle: { color: "#c2410c", opacity: 0.8 }, data: data.parcels, zlevel: 3 }
      ]
    });
    chart.on("click", function (p) {
      if (p.data && p.data.href) window.location.href = p.data.href;
    });
    box.dataset.ready = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
