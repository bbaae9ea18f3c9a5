// Charts of the statistical report (招商引资情况统计报表): for each table, its parts'
// signed investment and funds in place in 亿元, from the JSON the server rendered into
// the page. Labels are the data's own (chains, places): the tooltip escapes them.
(function () {
  "use strict";
  var escapeHtml = zs.escapeHtml;
  var charts = [];
  zs.readJson("statistical-report-data").forEach(function (table) {
    var box = document.getElementById(table.id);
    if (!box) return;
    var chart = echarts.init(box);
    chart.setOption({
      animation: false, // drawn at once, for printing
      tooltip: {
        trigger: "axis",
        className: "chart-tooltip",
        formatter: function (items) {
          var lines = [escapeHtml(items[0].name)];
          items.forEach(function (item) {
            lines.push(escapeHtml(item.seriesName) + "：" + escapeHtml(item.value) + " 亿元");
          });
          return lines.join("<br>");
        }
      },
      legend: { data: ["签约投资额", "到位资金"], top: 0, left: "center" },
      grid: { left: 4, right: 12, top: 36, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: table.labels, axisLabel: { interval: 0, rotate: table.labels.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", name: "亿元" },
      series: [
        { name: "签约投资额", type: "bar", data: table.signed, itemStyle: { color: "#b91c1c" } },
        { name: "到位资金", type: "bar", data: table.funds, itemStyle: { color: "#1d4ed8" } }
      ]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
