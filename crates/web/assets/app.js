// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Confirm destructive buttons.
  document.querySelectorAll("button.danger").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm("确定要执行此操作吗？")) event.preventDefault();
    });
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
