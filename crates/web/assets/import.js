// Uploads with a progress bar and shows the report without leaving the page.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  var bar = document.getElementById("import-progress");
  var result = document.getElementById("import-result");
  // The mapping form for a file's unrecognised columns sits inside the upload form, so that
  // the next submission sends the choices with the same file; a new file or kind drops it.
  var mappingSlot = document.getElementById("import-mapping-slot");
  function dropMapping() { mappingSlot.innerHTML = ""; }
  document.getElementById("import-file").addEventListener("change", dropMapping);
  document.getElementById("import-kind").addEventListener("change", dropMapping);
  var escape = window.zs.escapeHtml;
  var tokenField = document.getElementById("import-progress-token");
  var progressText = document.getElementById("import-progress-text");
  // Once the file is up, the bar follows the server's checking and writing of its rows.
  function newToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }
  function followServer(token) {
    var stopped = false;
    function ask() {
      if (stopped) return;
      var poll = new XMLHttpRequest();
      poll.open("GET", "/import/progress/" + token);
      poll.setRequestHeader("Accept", "application/json");
      poll.addEventListener("load", function () {
        if (stopped) return;
        var p;
        try { p = JSON.parse(poll.responseText); } catch (e) { p = null; }
        if (p && p.stage && p.total > 0) {
          bar.firstElementChild.style.width = Math.round(100 * p.done / p.total) + "%";
          progressText.textContent = p.stage + "：" + p.done.toLocaleString("zh-CN") + " / " + p.total.toLocaleString("zh-CN") + " 行";
        } else if (p) {
          progressText.textContent = "正在读取文件…";
        }
        window.setTimeout(ask, 500);
      });
      poll.send();
    }
    ask();
    return function () { stopped = true; };
  }
  // A refusal that came as a page (a proxy's, or the server's before it knew the script
  // asked for JSON): its error message read as text from an inert document, else its status.
  function serverMessage(xhr) {
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var message = page.querySelector(".error-message");
    var text = (message ? message.textContent : page.body ? page.body.textContent : "").trim();
    return text ? "导入失败：" + text.slice(0, 300) : "导入失败（" + xhr.status + "）";
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    bar.hidden = false;
    bar.firstElementChild.style.width = "0";
    progressText.textContent = "正在上传…";
    tokenField.value = newToken();
    var stopFollowing = function () {};
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.firstElementChild.style.width = Math.round(100 * e.loaded / e.total) + "%";
    });
    xhr.upload.addEventListener("load", function () { stopFollowing = followServer(tokenField.value); });
    xhr.addEventListener("loadend", function () { stopFollowing(); });
    xhr.addEventListener("load", function () {
      bar.firstElementChild.style.width = "100%";
      progressText.textContent = "";
      var body;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = { message: serverMessage(xhr) }; }
      // The server's own form (rendered and escaped by its template), not built from data here.
      if (body.mapping_html) {
        mappingSlot.innerHTML = body.mapping_html;
        result.innerHTML = '<div class="alert alert-info" id="import-mapping-message">' + escape(body.message) + "</div>";
        return;
      }
      if (!body.report) { result.innerHTML = '<div class="alert alert-error">' + escape(body.message || "导入失败") + "</div>"; return; }
      dropMapping();
      var html = '<div class="alert ' + (body.report.problems.length ? "alert-error" : "alert-info") + '" id="import-summary">' + escape(body.summary) + "</div>";
      if (body.report.assigned_codes.length && !body.report.problems.length) {
        html += '<table class="table compact" id="import-codes"><thead><tr><th>行</th><th>项目名称</th><th>项目编号</th></tr></thead><tbody>';
        body.report.assigned_codes.forEach(function (c) {
          html += "<tr><td>第" + escape(c.row) + "行</td><td>" + escape(c.name) + "</td><td>" + escape(c.code) + (c.existing ? "（已登记项目）" : "（新编号）") + "</td></tr>";
        });
        html += "</tbody></table>";
      }
      // What does not stop an import: unknown columns, and rows flagged for a look (funds in place above the total).
      if (body.report.warnings.length) {
        html += '<div class="alert alert-info" id="import-warnings"><strong>提示</strong><ul>';
        body.report.warnings.forEach(function (w) { html += "<li>" + escape(w) + "</li>"; });
        html += "</ul></div>";
      }
      if (body.errors_url) html += '<p><a class="button" href="' + escape(body.errors_url) + '">下载标注错误的表格</a></p>';
      if (body.report.problems.length) {
        html += '<table class="table compact" id="import-problems"><thead><tr><th>行</th><th>列</th><th>原因</th></tr></thead><tbody>';
        body.report.problems.forEach(function (p) {
          html += "<tr><td>第" + escape(p.row) + "行</td><td>" + escape(p.column) + "</td><td>" + escape(p.message) + "</td></tr>";
        });
        html += "</tbody></table>";
      }
      result.innerHTML = html;
    });
    xhr.addEventListener("error", function () {
      result.innerHTML = '<div class="alert alert-error">网络错误，上传未完成</div>';
    });
    xhr.send(new FormData(form));
  });
})();
