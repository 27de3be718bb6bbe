// 统计看板: draws each panel's chart from the page's JSON (no inline script, CSP), every element opening its list.
(function () {
  "use strict";

  function item(cell) {
    return { value: cell.value, url: cell.url || null };
  }

  function isRate(column) {
    return column.indexOf("%") !== -1;
  }

  function option(panel) {
    var labels = panel.rows.map(function (r) { return r.label; });
    var grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
    if (panel.chart === "heatmap") {
      var data = [], max = 1;
      panel.rows.forEach(function (row, y) {
        row.cells.forEach(function (cell, x) {
          data.push({ value: [x, y, cell.value], url: cell.url });
          max = Math.max(max, cell.value || 0);
        });
      });
      return {
        tooltip: { position: "top" }, grid: { left: 8, right: 16, top: 8, bottom: 48, containLabel: true },
        xAxis: { type: "category", data: panel.columns, splitArea: { show: true } },
        yAxis: { type: "category", data: labels, inverse: true, splitArea: { show: true } },
        visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                     inRange: { color: ["#f1f5f9", "#fde68a", "#f97316", "#b91c1c"] } },
        series: [{ name: panel.title, type: "heatmap", data: data,
                   label: { show: true, formatter: function (p) { return p.value[2] ? String(p.value[2]) : ""; } } }]
      };
    }
    if (panel.chart === "pie") {
      return {
        tooltip: { trigger: "item" }, legend: { bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}：{c}" }, stillShowZeroSum: false,
                   data: panel.rows.map(function (r) { return { name: r.label, value: r.cells[0].value, url: r.cells[0].url }; }) }]
      };
    }
    var series = [];
    panel.columns.forEach(function (column, i) {
      var rate = isRate(column);
      series.push({
        name: column, type: panel.chart === "line" || rate ? "line" : "bar", yAxisIndex: rate ? 1 : 0,
        label: { show: !rate && panel.rows.length <= 12, position: "top" },
        data: panel.rows.map(function (r) { return item(r.cells[i]); })
      });
    });
    // Slanted labels reach left of their tick, which containLabel does not reserve: the first one was cut off.
    var slanted = labels.length > 6;
    if (slanted) grid.left = 100;
    return {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
      xAxis: { type: "category", data: labels,
               axisLabel: { interval: 0, rotate: slanted ? 30 : 0, width: slanted ? 112 : undefined, overflow: "truncate" } },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", max: 100, show: series.some(function (s) { return s.yAxisIndex; }) }],
      series: series
    };
  }

  function start() {
    var source = document.getElementById("cockpit-data");
    if (!source || !window.echarts) return;
    var panels = JSON.parse(source.textContent), charts = {};
    panels.forEach(function (panel) {
      var box = document.querySelector('[data-chart="' + panel.key + '"]');
      if (!box) return;
      var dark = document.body.classList.contains("cockpit-screen");
      var chart = window.echarts.init(box, dark ? "dark" : null, { renderer: "canvas" });
      var opt = option(panel);
      if (dark) opt.backgroundColor = "transparent";
      chart.setOption(opt);
      chart.on("click", function (params) {
        var url = params.data && params.data.url;
        if (url) window.location.href = url;
      });
      charts[panel.key] = chart;
    });
    window.addEventListener("resize", function () {
      Object.keys(charts).forEach(function (key) { charts[key].resize(); });
    });
    document.querySelectorAll("[data-chart-png]").forEach(function (button) {
      button.addEventListener("click", function () {
        var chart = charts[button.getAttribute("data-chart-png")];
        if (!chart) return;
        var link = document.createElement("a");
        link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
        link.download = button.closest(".card").querySelector(".card-title").textContent.trim() + ".png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    });
    document.body.setAttribute("data-cockpit-ready", "1");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
