// Shared helpers (window.zs), loaded on every page before the page's own scripts, and
// small progressive enhancements; every page works without them.
(function () {
  "use strict";
  var zs = window.zs = window.zs || {};

  var entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  // Escapes any value for HTML text and quoted attribute values. Every datum that goes
  // into markup built as a string — ECharts tooltip formatters above all, whose result
  // ECharts puts into the page as HTML — passes through here; elsewhere prefer
  // textContent. Chart labels need no escaping: ECharts draws them as text.
  zs.escapeHtml = function (value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return entities[c];
    });
  };

  // Reads a JSON data block the server rendered (<script type="application/json" id=…>).
  zs.readJson = function (id) {
    return JSON.parse(document.getElementById(id).textContent);
  };

  // A map's colour scale over `values`: the palette the server sent (core::colours, each
  // step's fill with the label colour that reads on it) cut into equal steps up to the
  // largest value. `step(value)` is the value's step; `legend(ul)` lists the steps.
  zs.colourScale = function (palette, values) {
    var max = Math.max.apply(null, values.map(function (v) { return v || 0; }).concat([0]));
    var width = max > 0 ? max / palette.length : 1;
    return {
      step: function (value) { return palette[Math.min(palette.length - 1, Math.floor((value || 0) / width))]; },
      legend: function (list, digits) {
        list.textContent = "";
        palette.forEach(function (step, i) {
          var item = document.createElement("li");
          var swatch = document.createElement("span");
          swatch.className = "swatch";
          swatch.style.background = step.fill;
          item.appendChild(swatch);
          var to = i === palette.length - 1 ? max : (i + 1) * width;
          item.appendChild(document.createTextNode((i * width).toFixed(digits) + "–" + to.toFixed(digits)));
          list.appendChild(item);
        });
      }
    };
  };

  // A division's name as a map label, short so that neighbours' labels fit: without
  // 省/市/县/区, or what an autonomous area's name says after its place (兰州市 → 兰州,
  // 临夏回族自治州 → 临夏, 东乡族自治县 → 东乡, 新疆维吾尔自治区 → 新疆).
  var ethnicEnd = /(回族|藏族|蒙古族|维吾尔|壮族|裕固族|保安族|东乡族|撒拉族|哈萨克族|土族|彝族|苗族|侗族|瑶族|土家族|布依族|白族|哈尼族|傣族|傈僳族|羌族|满族|朝鲜族|黎族|畲族|各族)$/;
  zs.shortPlaceName = function (name) {
    var at = name.indexOf("自治");
    if (at > 0) {
      var place = name.slice(0, at), shorter;
      while ((shorter = place.replace(ethnicEnd, "")) !== place && shorter.length >= 2) place = shorter;
      return place.replace(/族$/, "");
    }
    var short = name.replace(/[省市县区州盟旗]$/, "");
    return short.length >= 2 ? short : name;
  };

  // On a phone the navigation hides behind the top bar's menu button (app.css, "has-menu"
  // is set here so that without this script the navigation stays in the page). Opening
  // it moves the focus to its first link; Escape, a click outside or the button again
  // close it.
  var menu = document.getElementById("menu-button");
  var sidebar = menu && document.getElementById(menu.getAttribute("aria-controls"));
  if (sidebar) {
    document.documentElement.classList.add("has-menu");
    var isOpen = function () { return menu.getAttribute("aria-expanded") === "true"; };
    var setOpen = function (open, moveFocus) {
      sidebar.classList.toggle("open", open);
      menu.setAttribute("aria-expanded", open ? "true" : "false");
      if (!moveFocus) return;
      var link = sidebar.querySelector("a");
      if (open && link) link.focus();
      else if (!open) menu.focus();
    };
    menu.addEventListener("click", function () { setOpen(!isOpen(), true); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) setOpen(false, true);
    });
    document.addEventListener("click", function (event) {
      if (isOpen() && !sidebar.contains(event.target) && !menu.contains(event.target)) setOpen(false, false);
    });
    // A page restored by the back button comes back closed.
    window.addEventListener("pageshow", function () { setOpen(false, false); });
  }

  // Confirm destructive buttons.
  document.querySelectorAll("button.danger").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm("确定要执行此操作吗？")) event.preventDefault();
    });
  });
  // Print buttons (a page printed as it stands, by its print style).
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // Offer division names next to region-code inputs.
  document.querySelectorAll("input[data-region-picker]").forEach(function (input) {
    var hint = document.createElement("small");
    hint.className = "muted";
    input.insertAdjacentElement("afterend", hint);
    function lookup() {
      var code = input.value.trim();
      if (!/^\d{6}$/.test(code)) { hint.textContent = ""; return; }
      fetch("/api/v1/regions/" + code, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (region) { hint.textContent = region ? region.name : "无此地区代码"; })
        .catch(function () { hint.textContent = ""; });
    }
    input.addEventListener("input", lookup);
    lookup();
  });
})();
