// Charts of the dashboard: monthly trend and the province map, from the JSON the
// server rendered into the page.
(function () {
  "use strict";
  var data = zs.readJson("dashboard-data");
  var escapeHtml = zs.escapeHtml;
  var trend = echarts.init(document.getElementById("trend-chart"));
  trend.setOption({
    tooltip: { trigger: "axis", className: "chart-tooltip" }, // ECharts' own formatter escapes
    legend: { data: ["签约投资额", "到位资金"] },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", name: "亿元" },
    series: [
      { name: "签约投资额", type: "bar", data: data.signed, itemStyle: { color: "#b91c1c" } },
      { name: "到位资金", type: "line", data: data.funds, smooth: true, itemStyle: { color: "#1d4ed8" } }
    ]
  });
  var mapCard = document.getElementById("map-card");
  if (!data.map) { mapCard.style.display = "none"; }
  else {
    fetch(mapCard.dataset.mapUrl).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("gansu", geo);
      var values = data.regions.map(function (r) { return { name: r.name, value: r.funds }; });
      var max = Math.max.apply(null, values.map(function (v) { return v.value || 0; }).concat([1]));
      echarts.init(document.getElementById("map-chart")).setOption({
        tooltip: {
          trigger: "item",
          className: "chart-tooltip",
          formatter: function (p) { return escapeHtml(p.name) + "：" + escapeHtml(p.value || 0) + " 亿元"; }
        },
        visualMap: { min: 0, max: max, left: 10, bottom: 10, text: ["高", "低"], inRange: { color: ["#fee2e2", "#7f1d1d"] }, calculable: true },
        series: [{ type: "map", map: "gansu", roam: false, data: values, label: { show: true, fontSize: 10 } }]
      });
    });
  }
  window.addEventListener("resize", function () { trend.resize(); });
})();
