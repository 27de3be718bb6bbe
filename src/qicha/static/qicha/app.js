// All page behaviour lives here: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  function initWidgets(root) {
    if (window.TomSelect) {
      root.querySelectorAll("select[data-tom-select]").forEach(function (el) {
        if (el.tomselect) return;
        var mode = el.getAttribute("data-tom-select");
        var escape = function (text) {
          var div = document.createElement("div"); div.textContent = text; return div.innerHTML;
        };
        var options = {
          maxOptions: null,
          plugins: mode === "multi" ? ["remove_button"] : [],
          render: {
            no_results: function () { return '<div class="no-results">没有匹配的选项</div>'; },
            // Options are indented to show the unit tree; the chosen item needs no indent.
            item: function (data) { return "<div>" + escape(String(data.text).trim()) + "</div>"; }
          },
          // Multi: keep the list open for the next pick. Single: close it, so the next click (say, on 保存) is a click.
          onItemAdd: function () {
            this.setTextboxValue("");
            if (mode === "multi") { this.refreshOptions(false); } else { this.close(); }
          }
        };
        var ts = new TomSelect(el, options);
        if (mode === "navigate") {
          ts.on("change", function (value) { if (value) window.location.href = value; });
        }
      });
    }
    if (window.flatpickr) {
      var zh = window.flatpickr.l10ns && window.flatpickr.l10ns.zh;
      root.querySelectorAll("input[data-datepicker]").forEach(function (el) {
        if (el._flatpickr) return;
        window.flatpickr(el, {
          locale: zh || "default", dateFormat: "Y-m-d", allowInput: true,
          // Strict: 2026-02-30 must not quietly become 2026-03-02; an impossible date is left for the server to refuse.
          parseDate: function (text) {
            var m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(String(text).trim());
            if (!m) return undefined;
            var d = new Date(+m[1], +m[2] - 1, +m[3]);
            return (d.getFullYear() === +m[1] && d.getMonth() === +m[2] - 1 && d.getDate() === +m[3]) ? d : undefined;
          }
        });
      });
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);

  // "全选本页": a button with data-check-all="name" ticks (or, when all are ticked, clears) every checkbox of that name.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-check-all]");
    if (!button) return;
    var boxes = document.querySelectorAll('input[type=checkbox][name="' + button.getAttribute("data-check-all") + '"]');
    var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
    boxes.forEach(function (box) { box.checked = !all; });
  });

  // 打印: the browser's own print dialog (the print stylesheet in app.css lays the page out for paper).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-print]");
    if (!button) return;
    event.preventDefault();
    window.print();
  });

  // On paper the filter form is hidden: its settings are written as one line under the title instead
  // ("筛选条件：状态：整改中；单位（含下级）：城西区民政局；只看逾期"), or "全部记录" when nothing narrows the list.
  function labelOf(form, el) {
    var label = el.id ? form.querySelector('label[for="' + el.id + '"]') : null;
    if (!label) label = el.closest("label");
    return label ? label.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function describeFilters() {
    var target = document.querySelector("[data-print-filters]");
    var form = document.querySelector('form[method="get"]:not([role="search"])');
    if (!target || !form) return;
    var parts = [];
    var tab = document.querySelector(".status-tabs .nav-link.active");
    if (tab) {
      var copy = tab.cloneNode(true);
      copy.querySelectorAll(".badge").forEach(function (b) { b.remove(); });
      var name = copy.textContent.trim();
      if (name && name !== "全部") parts.push("状态：" + name);
    }
    form.querySelectorAll("select, input").forEach(function (el) {
      if (el.type === "hidden" || el.type === "submit" || el.type === "button" || !el.name) return;
      if (el.name === "sort" || el.name === "page") return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) parts.push(labelOf(form, el));
        return;
      }
      if (el.tagName === "SELECT") {
        var chosen = Array.prototype.filter.call(el.options, function (o) { return o.selected && o.value; });
        if (chosen.length) {
          parts.push(labelOf(form, el) + "：" + chosen.map(function (o) { return o.textContent.trim(); }).join("、"));
        }
        return;
      }
      if (String(el.value).trim()) parts.push(labelOf(form, el) + "：" + String(el.value).trim());
    });
    form.querySelectorAll(".badge").forEach(function (b) { parts.push(b.textContent.trim()); });
    target.textContent = "筛选条件：" + (parts.length ? parts.join("；") : "全部记录");
  }

  document.addEventListener("DOMContentLoaded", function () { initWidgets(document); describeFilters(); });
  document.addEventListener("htmx:load", function (event) { initWidgets(event.target); });
})();
