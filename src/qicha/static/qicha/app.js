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
          // The options are on the page, so filter as the user types. Tom Select's default 300 ms delay let a late
          // refresh reopen the list and take the focus back from the field the user had moved on to.
          refreshThrottle: 0,
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
      // Chinese calendars start the week on Monday (周一); flatpickr's zh locale leaves it on Sunday.
      var locale = Object.assign({}, zh || {}, {firstDayOfWeek: 1});
      root.querySelectorAll("input[data-datepicker]").forEach(function (el) {
        if (el._flatpickr) return;
        var picker = window.flatpickr(el, {
          locale: locale, dateFormat: "Y-m-d", allowInput: true,
          // Strict: 2026-02-30 must not quietly become 2026-03-02; an impossible date is left for the server to refuse.
          parseDate: function (text) {
            var m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(String(text).trim());
            if (!m) return undefined;
            var d = new Date(+m[1], +m[2] - 1, +m[3]);
            return (d.getFullYear() === +m[1] && d.getMonth() === +m[2] - 1 && d.getDate() === +m[3]) ? d : undefined;
          }
        });
        // A typed date the calendar cannot read (2026-02-30) stays in the field as typed — flatpickr would empty it —
        // so the server can refuse it by name ("日期不存在：2026-02-30") and the user sees what was wrong.
        // Typing a date: the calendar jumps to it and gets out of the way, so it neither hides the next fields nor
        // catches the click meant for one of them (which would pick a day and overwrite what was typed).
        el.addEventListener("input", function () {
          var typed = picker.config.parseDate(el.value);
          if (typed) picker.jumpToDate(typed);
          if (picker.isOpen) picker.close();
        });
        var setDate = picker.setDate;
        picker.setDate = function (date, triggerChange, format) {
          var result = setDate.call(picker, date, triggerChange, format);
          if (typeof date === "string" && date.trim() && !picker.selectedDates.length) picker.input.value = date;
          return result;
        };
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

  // A <datalist data-follows="#id_unit"> offers only the people of the unit chosen there (each option lists its
  // units in data-units); the field it serves still takes any text.
  function followUnits() {
    document.querySelectorAll("datalist[data-follows]").forEach(function (list) {
      var select = document.querySelector(list.getAttribute("data-follows"));
      if (!select) return;
      var all = Array.prototype.slice.call(list.options);
      var filter = function () {
        var unit = " " + select.value + " ";
        list.innerHTML = "";
        all.forEach(function (option) {
          if (select.value === "" || (" " + option.getAttribute("data-units") + " ").indexOf(unit) >= 0) list.appendChild(option);
        });
      };
      select.addEventListener("change", filter);
      filter();
    });
  }

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

  document.addEventListener("DOMContentLoaded", function () { initWidgets(document); followUnits(); describeFilters(); });
  document.addEventListener("htmx:load", function (event) { initWidgets(event.target); });
})();
