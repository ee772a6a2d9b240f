/* The village page's index trend: the index (bold) and its components per year, with the
   status thresholds as dashed lines. The data comes from a json_script element; the same
   numbers are in the table below the chart. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  var palette = ["#0d6efd", "#d63384", "#198754", "#fd7e14", "#6f42c1", "#0dcaf0"];
  var locale = document.documentElement.lang || "id";
  document.querySelectorAll("canvas[data-index-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.indexChart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var datasets = data.series.map(function (series, index) {
      var color = series.main ? "#212529" : palette[(index - 1) % palette.length];
      return {
        label: series.label,
        data: series.values,
        borderColor: color,
        backgroundColor: color,
        borderWidth: series.main ? 3 : 1.5,
        pointRadius: series.main ? 4 : 3,
        spanGaps: true,
        tension: 0,
      };
    });
    data.thresholds.forEach(function (threshold) {
      datasets.push({
        label: threshold.label + " > " + threshold.value.toLocaleString(locale, { minimumFractionDigits: 4 }),
        data: data.labels.map(function () { return threshold.value; }),
        borderColor: threshold.color,
        backgroundColor: threshold.color,
        borderDash: [6, 4],
        borderWidth: 1,
        pointRadius: 0,
        pointHoverRadius: 0,
        threshold: true,
      });
    });
    new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        locale: locale,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { ticks: { precision: 2 } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxHeight: 2 } },
          tooltip: {
            filter: function (item) { return !item.dataset.threshold; },
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " +
                  item.parsed.y.toLocaleString(locale, { minimumFractionDigits: 4, maximumFractionDigits: 4 });
              },
            },
          },
        },
      },
    });
  });
})();
