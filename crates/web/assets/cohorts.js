// Signing cohorts' curves: months since the activity against the share of the cohort's
// projects started and producing and of its investment in place, from the JSON the server
// rendered into the page (`cohort-data`: charts, each a box id and its lines of
// [months, share] points). Names are escaped in the tooltip, which we format ourselves.
(function () {
  "use strict";
  var data = zs.readJson("cohort-data");
  if (!data) return;
  var escapeHtml = zs.escapeHtml;
  var charts = [];
  data.charts.forEach(function (spec) {
    var box = document.getElementById(spec.id);
    if (!box) return;
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: {
        trigger: "axis",
        className: "chart-tooltip",
        formatter: function (items) {
          if (!items.length) return "";
          var lines = ["第 " + escapeHtml(items[0].value[0]) + " 个月"];
          items.forEach(function (item) {
            lines.push(escapeHtml(item.seriesName) + "：" + escapeHtml((item.value[1] * 100).toFixed(1)) + "%");
          });
          return lines.join("<br>");
        }
      },
      legend: { top: 0, left: "center" },
      grid: { left: 4, right: 16, top: 36, bottom: 4, containLabel: true },
      xAxis: { type: "value", name: "月", minInterval: 1 },
      yAxis: { type: "value", min: 0, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
      series: spec.lines.map(function (line) {
        return { name: line.name, type: "line", data: line.points, showSymbol: false };
      })
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
