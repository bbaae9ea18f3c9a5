// Charts of the dashboard: the monthly trend and the map of the sub-regions (a province's
// cities, a city's counties), from the JSON the server rendered into the page. A chart
// the period has nothing for is not drawn: the page says 本期无数据 in its place.
(function () {
  "use strict";
  var data = zs.readJson("dashboard-data");
  var escapeHtml = zs.escapeHtml;
  var charts = [];

  var trendBox = document.getElementById("trend-chart");
  if (trendBox) {
    var trend = echarts.init(trendBox);
    trend.setOption({
      tooltip: { trigger: "axis", className: "chart-tooltip" }, // ECharts' own formatter escapes
      // The legend in a band of its own above the plot, whose axis labels stay inside the
      // grid (containLabel): the two never meet, however narrow the card. The unit is in
      // the card's title.
      legend: { data: ["签约投资额", "到位资金"], top: 0, left: "center" },
      grid: { left: 4, right: 12, top: 36, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value" },
      series: [
        { name: "签约投资额", type: "bar", data: data.signed, itemStyle: { color: "#b91c1c" } },
        { name: "到位资金", type: "line", data: data.funds, smooth: true, itemStyle: { color: "#1d4ed8" } }
      ]
    });
    charts.push(trend);
  }

  // The map's features named as the divisions are: the same name, else the only division
  // whose name differs in its last character (a county that became a city: 华亭县 → 华亭市).
  function nameMapOf(geo, names) {
    var map = {};
    geo.features.forEach(function (feature) {
      var name = feature.properties.name;
      if (names.indexOf(name) >= 0) return;
      var same = names.filter(function (n) { return n.slice(0, -1) === name.slice(0, -1); });
      if (same.length === 1) map[name] = same[0];
    });
    return map;
  }

  var units = { funds: "亿元", signed: "亿元", completion: "%" };

  var digits = { funds: 2, signed: 2, completion: 1 };

  function drawMap(chart, mapName, nameMap, metric) {
    // Each region's fill and the label colour that reads on it, by its step of the scale.
    var scale = zs.colourScale(data.palette, data.regions.map(function (r) { return r[metric]; }));
    var items = data.regions.map(function (r) {
      var step = scale.step(r[metric]);
      return {
        name: r.name, value: r[metric], href: r.href,
        itemStyle: { areaColor: step.fill },
        label: { color: step.text }
      };
    });
    chart.setOption({
      tooltip: {
        trigger: "item",
        className: "chart-tooltip",
        formatter: function (p) {
          var value = typeof p.value === "number" && !isNaN(p.value) ? p.value.toFixed(digits[metric]) : "—";
          return escapeHtml(p.name) + "：" + escapeHtml(value) + " " + escapeHtml(units[metric]);
        }
      },
      series: [{
        type: "map", map: mapName, nameMap: nameMap, roam: false, data: items, selectedMode: false,
        label: { show: true, fontSize: 11, formatter: function (p) { return zs.shortPlaceName(p.name); } },
        // Crowded neighbours (嘉峪关 in 酒泉, 兰州 among 白银, 定西 and 临夏): the smaller
        // region's label gives way; its name is in the tooltip and the ranking.
        labelLayout: { hideOverlap: true },
        itemStyle: { areaColor: "#f3f4f6", borderColor: "#ffffff" },
        emphasis: { itemStyle: { areaColor: "#fde68a" }, label: { color: "#000000" } }
      }]
    }, { replaceMerge: ["series"] });
    scale.legend(document.getElementById("map-legend"), digits[metric]);
  }

  var mapBox = document.getElementById("map-chart");
  if (mapBox) {
    var mapCard = document.getElementById("map-card");
    fetch(mapCard.dataset.mapUrl).then(function (r) { return r.json(); }).then(function (geo) {
      var mapName = "regions-of-" + mapCard.dataset.mapUrl;
      echarts.registerMap(mapName, geo);
      var nameMap = nameMapOf(geo, data.regions.map(function (r) { return r.name; }));
      var chart = echarts.init(mapBox);
      charts.push(chart);
      var select = document.getElementById("map-metric");
      drawMap(chart, mapName, nameMap, select.value);
      select.addEventListener("change", function () { drawMap(chart, mapName, nameMap, select.value); });
      // A region opens its own cockpit, for the same period, where the user may see it.
      chart.on("click", function (p) {
        if (p.data && p.data.href) window.location.href = p.data.href;
      });
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
