// The chain map (产业链图谱): an ECharts tree of sub-chains and links from the JSON the
// server rendered into the page, and the side panel of one link (its enterprises,
// projects, gap status and ranked targets) filled from the node API. The panel follows
// the address's #node-ID, so the graph, the gap list and links from other pages share it.
(function () {
  "use strict";
  var data = zs.readJson("chain-data");
  var escapeHtml = zs.escapeHtml;
  var chartBox = document.getElementById("chain-chart");
  var panel = document.getElementById("node-panel");
  var panelBody = document.getElementById("panel-body");

  // Builds an element; text is always set as text, never parsed as HTML.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "style") node.style.cssText = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  var children = {};
  data.nodes.forEach(function (n) {
    var parent = n.parent_id || 0;
    (children[parent] = children[parent] || []).push(n);
  });
  var links = data.nodes.filter(function (n) { return n.kind === "link"; });

  // Local presence drives the size of a link: enterprises plus producing projects.
  function presence(n) { return n.presence.local_enterprises + n.presence.producing_projects; }

  function treeItem(n) {
    var isLink = n.kind === "link";
    return {
      name: n.name,
      nodeId: n.id,
      kind: n.kind,
      statusLabel: n.status_label,
      presence: n.presence,
      // Missing links are the ones a user most wants to click: drawn largest.
      symbolSize: !isLink ? 13 : n.status === "missing" ? 30 : 9 + 3 * Math.min(presence(n), 6),
      itemStyle: { color: isLink ? n.colour : "#fff", borderColor: isLink ? n.colour : "#7f1d1d", borderWidth: 2 },
      children: (children[n.id] || []).map(treeItem)
    };
  }

  var root = {
    name: data.chain,
    symbolSize: 20,
    itemStyle: { color: "#7f1d1d" },
    label: { fontWeight: "bold", fontSize: 14 },
    children: (children[0] || []).map(treeItem)
  };
  chartBox.style.height = Math.max(420, links.length * 24) + "px";
  var chart = echarts.init(chartBox);
  chart.setOption({
    tooltip: {
      trigger: "item",
      className: "chart-tooltip",
      // ECharts shows the result as HTML: names are data (a region user names links), so
      // every part is escaped.
      formatter: function (p) {
        var d = p.data;
        if (d.kind !== "link") return escapeHtml(d.name);
        return escapeHtml(d.name) + "<br>" + escapeHtml(d.statusLabel) +
          "<br>本地企业 " + escapeHtml(d.presence.local_enterprises) +
          " 家 · 投产项目 " + escapeHtml(d.presence.producing_projects) +
          " 个 · 在建项目 " + escapeHtml(d.presence.active_projects) + " 个";
      }
    },
    series: [{
      type: "tree",
      data: [root],
      top: 20, bottom: 20, left: 150, right: 200,
      orient: "LR",
      symbol: "circle",
      initialTreeDepth: -1,
      expandAndCollapse: false,
      roam: false,
      label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12 },
      leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
      lineStyle: { color: "#cbd5e1", width: 1.5, curveness: 0.5 },
      animationDuration: 300
    }]
  });
  chart.on("click", function (p) {
    if (p.data && p.data.kind === "link") location.hash = "node-" + p.data.nodeId;
  });
  window.addEventListener("resize", function () { chart.resize(); });

  document.getElementById("export-png").addEventListener("click", function () {
    var a = el("a", {
      href: chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" }),
      download: data.chain + "-产业链图谱.png"
    });
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  function section(title, items, empty) {
    return el("section", { class: "panel-section" }, [
      el("h3", { text: title + "（" + items.length + "）" }),
      items.length ? el("ul", { class: "panel-list" }, items) : el("p", { class: "muted", text: empty })
    ]);
  }

  function scoreText(score) {
    return score.parts.map(function (part) { return part.label + " +" + part.points; }).join(" · ");
  }

  // Opens the plan form for a target inside its list item.
  function planForm(target, item) {
    var template = document.getElementById("plan-form-template");
    var form = template.content.firstElementChild.cloneNode(true);
    form.querySelector("[name=enterprise_id]").value = target.id;
    form.querySelector("[name=node_id]").value = current;
    item.appendChild(form);
    form.querySelector("[name=approach]").focus();
  }

  function targetItem(t, mayCreate) {
    var tags = t.tags.length ? " · " + t.tags.join("、") : "";
    var item = el("li", { class: "target", "data-rank": t.rank }, [
      el("div", { class: "target-head" }, [
        el("span", { class: "target-rank", text: t.rank }),
        el("a", { href: "/enterprises/" + t.id, class: "target-name", text: t.name }),
        el("span", { class: "target-score", text: t.score.total + " 分" })
      ]),
      el("div", { class: "muted", text: (t.region_name || t.region_code) + tags +
        (t.distance_km !== null && t.distance_km !== undefined ? " · 距本地约 " + t.distance_km + " 公里" : "") }),
      el("div", { class: "score-parts", text: scoreText(t.score) })
    ]);
    if (t.plan_id) {
      item.appendChild(el("a", { href: "/plans/" + t.plan_id, class: "button small", text: "查看一企一案" }));
    } else if (mayCreate) {
      var button = el("button", { type: "button", class: "small create-plan", text: "建立一企一案" });
      button.addEventListener("click", function () { button.remove(); planForm(t, item); });
      item.appendChild(button);
    }
    return item;
  }

  function render(answer) {
    var n = answer.node;
    var enterprises = answer.enterprises.map(function (e) {
      return el("li", {}, [
        el("a", { href: "/enterprises/" + e.id, text: e.name }),
        el("span", { class: "muted", text: " " + e.role_label + (e.revenue_wan ? " · 营收 " + e.revenue_wan + " 万元" : "") })
      ]);
    });
    var projects = answer.projects.map(function (p) {
      return el("li", {}, [
        el("a", { href: "/projects/" + p.id, text: p.name }),
        el("span", { class: "tag stage-" + p.stage, text: p.stage_label }),
        el("span", { class: "muted", text: " " + p.total_investment_wan + " 万元" })
      ]);
    });
    var targets = answer.targets.map(function (t) { return targetItem(t, answer.may_create_plan); });
    panelBody.replaceChildren(
      el("h2", { id: "panel-title", text: n.name }),
      el("p", {}, [
        el("span", { class: "tag", id: "panel-status", "data-status": n.status || "",
                     style: "background:" + (n.colour || "#6b7280") + ";color:#fff", text: n.status_label || n.kind_label }),
        el("span", { class: "muted", text: " " + (n.segment_label || "") })
      ]),
      el("p", { id: "panel-reason", text: n.reason }),
      n.products ? el("p", { id: "panel-products", text: "所需产品：" + n.products }) : null,
      section("本地企业", enterprises, "本地区暂无（或无权查看）该环节的企业"),
      section("相关项目", projects, "暂无挂在该环节的项目"),
      el("section", { class: "panel-section", id: "panel-targets" }, [
        el("h3", { text: "推荐目标企业（按得分排序）" }),
        targets.length ? el("ol", { class: "panel-list targets" }, targets)
                       : el("p", { class: "muted", text: "企业库中暂无该环节行业的目标企业" })
      ])
    );
  }

  var current = null;
  function open(nodeId) {
    current = nodeId;
    panel.hidden = false;
    chart.resize(); // the panel narrows the chart
    panelBody.replaceChildren(el("p", { class: "muted", text: "正在加载…" }));
    document.querySelectorAll("#gap-table tr.selected").forEach(function (row) { row.classList.remove("selected"); });
    var row = document.querySelector("#gap-table tr[data-node-id='" + nodeId + "']");
    if (row) row.classList.add("selected");
    // From the gap list below the chart, the panel would open out of sight. Beside the
    // chart it sticks within the map's layout, so the layout is brought into view; below
    // the chart (narrow screens) the panel itself.
    var sticky = getComputedStyle(panel).position === "sticky";
    (sticky ? panel.parentElement : panel).scrollIntoView({ block: "start" });
    fetch("/api/v1/chains/" + data.chain_id + "/nodes/" + nodeId + "?" + data.query, { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (answer) {
        if (nodeId !== current) return;
        if (answer.ok) render(answer.body);
        else panelBody.replaceChildren(el("p", { class: "field-error", text: answer.body.message || "加载失败" }));
      })
      .catch(function () { panelBody.replaceChildren(el("p", { class: "field-error", text: "网络错误，请重试" })); });
  }

  function follow() {
    var match = /^#node-(\d+)$/.exec(location.hash);
    if (match) open(Number(match[1]));
  }
  window.addEventListener("hashchange", follow);
  document.getElementById("panel-close").addEventListener("click", function () {
    panel.hidden = true;
    current = null;
    chart.resize();
    history.replaceState(null, "", location.pathname + location.search);
  });
  follow();
})();
