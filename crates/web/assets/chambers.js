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
  // A province's label: its short name (甘肃, 内蒙古), a name longer than any cut short.
  function shortLabel(name) {
    var short = zs.shortPlaceName(name);
    return short.length > 4 ? short.slice(0, 3) + "…" : short;
  }
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
          // A province without chambers has no datum of ours (ECharts may give it an empty one).
          var ours = p.data && p.data.fullName;
          var name = ours ? p.data.fullName : shortNames[p.name] || p.name;
          return escapeHtml(name) + "：" + escapeHtml(ours ? p.data.value : 0) + " 家";
        }
      },
      series: [{
        type: "map", map: "china", nameProperty: "id", roam: false, selectedMode: false,
        data: data.provinces.map(function (p) {
          var step = scale.step(p.value);
          return {
            name: p.code, value: p.value, fullName: p.name, href: p.href,
            itemStyle: { areaColor: step.fill }, label: { color: step.text }
          };
        }),
        // Only provinces with chambers are named; crowded ones give way to larger neighbours.
        label: { show: true, fontSize: 10, formatter: function (p) { return p.data && p.data.fullName ? shortLabel(p.data.fullName) : ""; } },
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
