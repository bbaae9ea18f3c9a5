// The site-selection maps: the province drawn offline (the gansu map shipped through
// frontend/package-lock.json). On the list, its parks as squares and the listed parcels
// as dots, merged into clusters with their count when zoomed out (a click on one zooms
// into it), or as their outlines once zoomed in far enough to see them; a click opens the
// park's or parcel's page. On a parcel's card, its outline (or its point). Every datum
// in a tooltip is escaped.
(function () {
  "use strict";
  var escapeHtml = zs.escapeHtml;
  // An outline replaces its dot once it is this many pixels across.
  var OUTLINE_MIN_PX = 6;
  // Dots closer than a cell of this many pixels (the screen's grid) merge into a cluster.
  var CLUSTER_CELL_PX = 40;
  // A click on a cluster zooms in this many times, up to the map's limit.
  var CLUSTER_ZOOM = 4, MAX_ZOOM = 400;

  function parcelTip(d) {
    return escapeHtml(d.name) + (d.park ? "（" + escapeHtml(d.park) + "）" : "") + "<br>" +
      escapeHtml(d.land_use) + " · " + escapeHtml(d.area_mu) + " 亩 · " +
      (d.price ? escapeHtml(d.price) + " 万元/亩" : "面议") + " · " + escapeHtml(d.status);
  }

  // Draws each item's `rings` (polygons of [lon, lat] rings, holes after the outer ring).
  function drawOutline(items) {
    return function (params, api) {
      var children = [];
      (items()[params.dataIndex].rings || []).forEach(function (polygon) {
        polygon.forEach(function (ring, hole) {
          children.push({
            type: "polygon",
            shape: { points: ring.map(function (c) { return api.coord(c); }) },
            style: { fill: hole ? "#f3f4f6" : "rgba(194, 65, 12, 0.35)", stroke: "#c2410c", lineWidth: 1.5 }
          });
        });
      });
      return { type: "group", children: children };
    };
  }

  function outlineSeries(name, items) {
    return { name: name, type: "custom", coordinateSystem: "geo", renderItem: drawOutline(items), data: items(), zlevel: 3 };
  }

  // The province's map (from `mapUrl`) registered under `parcels-province`, then `draw(chart)`.
  function withProvince(box, mapUrl, draw) {
    fetch(mapUrl).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("parcels-province", geo);
      var chart = echarts.init(box);
      draw(chart);
      box.dataset.ready = "true";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  var provinceStyle = {
    map: "parcels-province", roam: true,
    itemStyle: { areaColor: "#f3f4f6", borderColor: "#9ca3af" },
    emphasis: { itemStyle: { areaColor: "#fde68a" }, label: { show: false } }
  };

  // Each parcel's extent, [[min lon, min lat], [max lon, max lat]], from its rings.
  function extent(rings) {
    var min = [Infinity, Infinity], max = [-Infinity, -Infinity];
    rings.forEach(function (polygon) {
      polygon[0].forEach(function (c) {
        min = [Math.min(min[0], c[0]), Math.min(min[1], c[1])];
        max = [Math.max(max[0], c[0]), Math.max(max[1], c[1])];
      });
    });
    return [min, max];
  }

  function listMap() {
    var box = document.getElementById("parcel-map");
    if (!box) return;
    var data = zs.readJson("parcel-map-data");
    data.parcels.forEach(function (p) { if (p.rings) p.extent = extent(p.rings); });
    // The compare button: at most four parcels at once.
    var form = document.getElementById("compare-form");
    if (form) {
      form.addEventListener("change", function (event) {
        var boxes = form.querySelectorAll('input[name="codes"]:checked');
        if (boxes.length > 4 && event.target.checked) event.target.checked = false;
      });
    }
    withProvince(box, document.getElementById("parcel-map-card").dataset.mapUrl, function (chart) {
      var outlined = [];
      var pixels = function (lonLat) { return chart.convertToPixel({ geoIndex: 0 }, lonLat); };
      var wide = function (p) {
        if (!p.extent) return false;
        var a = pixels(p.extent[0]), b = pixels(p.extent[1]);
        return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])) >= OUTLINE_MIN_PX;
      };
      // Which parcels show as outlines, as dots, or merged into clusters (the dots
      // sharing a cell of the screen's grid), for the map's present zoom and centre.
      function refresh() {
        var cells = {}, dots = [], clusters = [];
        outlined = [];
        data.parcels.forEach(function (p) {
          if (wide(p)) {
            outlined.push(p);
            return;
          }
          var at = pixels(p.value);
          var cell = Math.floor(at[0] / CLUSTER_CELL_PX) + ":" + Math.floor(at[1] / CLUSTER_CELL_PX);
          (cells[cell] = cells[cell] || []).push(p);
        });
        Object.keys(cells).forEach(function (cell) {
          var members = cells[cell];
          if (members.length === 1) {
            dots.push(members[0]);
            return;
          }
          var lon = 0, lat = 0;
          members.forEach(function (p) { lon += p.value[0]; lat += p.value[1]; });
          clusters.push({
            name: members.length + " 个地块", count: members.length,
            codes: members.map(function (p) { return p.name; }),
            value: [lon / members.length, lat / members.length]
          });
        });
        chart.setOption({ series: [{}, { data: dots }, { data: outlined }, { data: clusters }] });
      }
      function zoomInto(lonLat) {
        var zoom = chart.getOption().geo[0].zoom || 1;
        chart.setOption({ geo: { center: lonLat, zoom: Math.min(zoom * CLUSTER_ZOOM, MAX_ZOOM) } });
        refresh();
      }
      chart.setOption({
        tooltip: {
          trigger: "item",
          className: "chart-tooltip",
          formatter: function (p) {
            var d = p.data || {};
            if (p.seriesName === "园区") {
              return escapeHtml(d.name) + "<br>" + escapeHtml(d.level) + " · " + escapeHtml(d.region);
            }
            if (p.seriesName === "地块" || p.seriesName === "地块边界") return parcelTip(d);
            if (p.seriesName === "地块聚合") {
              var some = d.codes.slice(0, 5).map(escapeHtml).join("、");
              return escapeHtml(d.name) + "，点击放大<br>" + some + (d.codes.length > 5 ? " 等" : "");
            }
            return escapeHtml(p.name);
          }
        },
        geo: Object.assign({ scaleLimit: { min: 1, max: MAX_ZOOM } }, provinceStyle),
        series: [
          { name: "园区", type: "scatter", coordinateSystem: "geo", symbol: "rect", symbolSize: 12,
            itemStyle: { color: "#1d4ed8" }, data: data.parks, zlevel: 2 },
          { name: "地块", type: "scatter", coordinateSystem: "geo", symbolSize: 6, large: data.parcels.length > 2000,
            itemStyle: { color: "#c2410c", opacity: 0.8 }, data: [], zlevel: 3 },
          outlineSeries("地块边界", function () { return outlined; }),
          { name: "地块聚合", type: "scatter", coordinateSystem: "geo", data: [], zlevel: 4,
            symbolSize: function (value, p) { return 18 + 6 * Math.log2(p.data.count); },
            itemStyle: { color: "#ea580c", opacity: 0.9, borderColor: "#fff", borderWidth: 1.5 },
            label: { show: true, color: "#fff", fontWeight: "bold", formatter: function (p) { return String(p.data.count); } } }
        ]
      });
      refresh();
      var pending = null;
      chart.on("georoam", function () {
        clearTimeout(pending);
        pending = setTimeout(refresh, 30);
      });
      chart.on("click", function (p) {
        if (p.seriesName === "地块聚合") zoomInto(p.data.value);
        else if (p.data && p.data.href) window.location.href = p.data.href;
      });
    });
  }

  // A parcel's card: the map around the parcel, its outline or its point. A user who may
  // move it clicks 「在地图上调整位置」, then the map: the point and the outline follow
  // (shifted by the same offset, as the server shifts them) and the form takes the point.
  function cardMap() {
    var box = document.getElementById("parcel-card-map");
    if (!box) return;
    var parcel = zs.readJson("parcel-card-map-data");
    var around = parcel.rings.length ? extent(parcel.rings) : [parcel.point, parcel.point];
    // A margin of the parcel's own size, and at least about a kilometre.
    var margin = Math.max(around[1][0] - around[0][0], around[1][1] - around[0][1], 0.01);
    var placed = { name: parcel.name, rings: parcel.rings, value: parcel.point };
    withProvince(box, box.dataset.mapUrl, function (chart) {
      var shown = function () { return placed.rings.length ? [placed] : []; };
      chart.setOption({
        tooltip: { trigger: "item", className: "chart-tooltip", formatter: function (p) { return escapeHtml(p.name); } },
        geo: Object.assign({
          boundingCoords: [[around[0][0] - margin, around[1][1] + margin], [around[1][0] + margin, around[0][1] - margin]]
        }, provinceStyle),
        series: [
          outlineSeries("地块边界", shown),
          { name: "地块", type: "scatter", coordinateSystem: "geo", symbolSize: 8, itemStyle: { color: "#c2410c" },
            data: [placed], zlevel: 4 }
        ]
      });
      var edit = document.getElementById("position-edit");
      var form = document.getElementById("position-form");
      if (!edit || !form) return;
      edit.addEventListener("click", function () {
        form.hidden = false;
        edit.hidden = true;
        box.classList.add("placing");
      });
      chart.getZr().on("click", function (event) {
        if (form.hidden) return;
        var at = chart.convertFromPixel({ geoIndex: 0 }, [event.offsetX, event.offsetY]);
        if (!at) return;
        var lon = Number(at[0].toFixed(6)), lat = Number(at[1].toFixed(6));
        var dx = lon - parcel.point[0], dy = lat - parcel.point[1];
        form.elements.lon.value = lon;
        form.elements.lat.value = lat;
        placed = {
          name: parcel.name, value: [lon, lat],
          rings: parcel.rings.map(function (polygon) {
            return polygon.map(function (ring) { return ring.map(function (c) { return [c[0] + dx, c[1] + dy]; }); });
          })
        };
        chart.setOption({ series: [{ data: shown() }, { data: [placed] }] });
      });
    });
  }

  listMap();
  cardMap();
})();
