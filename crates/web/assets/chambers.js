// The chambers page's map of China: how many of the listed chambers (under the filters
// other than the location) are in each province; a click on a province filters the list
// by it. The counts come from the JSON the server rendered into the page.
(function () {
  "use strict";
  var box = document.getElementById("china-map");
  if (!box) return;
  var data = zs.readJson("chamber-map-data");
  var escapeHtml = zs.escapeHtml;
  var card = document.getElementById("china-map-card");
  fetch(card.dataset.mapUrl).then(function (r) { return r.json(); }).then(function (geo) {
    echarts.registerMap("china", geo);
    // The map's provinces by code (its features' `id`), short names for those without chambers.
    var shortNames = {};
    geo.features.forEach(function (f) { shortNames[f.properties.id] = f.properties.name; });
    var scale = zs.colourScale(data.palette, data.provinces.map(function (p) { return p.value; }));
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: {
        trigger: "item",
        className: "chart-tooltip",
        formatter: function (p) {
          var name = p.data ? p.data.fullName : shortNames[p.name] || p.name;
          return escapeHtml(name) + "：" + escapeHtml(p.data ? p.data.value : 0) + " 家";
        }
      },
      series: [{
        type: "map", map: "china", nameProperty: "id", roam: false, selectedMode: false,
        data: data.provinces.map(function (p) {
          var step = scale.step(p.value);
          return {
            name: p.code, value: p.value, fullName: p.name, href: p.href,
            itemStyle: { areaColor: step.fill }, label: { show: true, color: step.text }
          };
        }),
        // Only provinces with chambers are named; crowded ones give way to larger neighbours.
        label: { show: false, fontSize: 10, formatter: function (p) { return p.data ? zs.shortPlaceName(p.data.fullName) : ""; } },
        labelLayout: { hideOverlap: true },
        itemStyle: { areaColor: "#f3f4f6", borderColor: "#ffffff" },
        emphasis: { itemStyle: { areaColor: "#fde68a" }, label: { color: "#000000" } }
      }]
    });
    scale.legend(document.getElementById("china-map-legend"), 0);
    chart.on("click", function (p) {
      if (p.data && p.data.href) window.location.href = p.data.href;
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
