// The statistics chart: amounts approved and paid per group (bars), applications (line), from the table's data.
(function () {
  var node = document.getElementById("stats-chart");
  var data = JSON.parse(document.getElementById("stats-data").textContent);
  if (!node || !window.echarts) { return; }
  var chart = echarts.init(node, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
    xAxis: { type: "category", data: data.keys, axisLabel: { rotate: data.keys.length > 6 ? 40 : 0 } },
    yAxis: [{ type: "value", name: "万元", axisLabel: { formatter: function (v) { return v / 10000; } } },
            { type: "value", minInterval: 1 }],
    series: [
      { name: data.labels.approved, type: "bar", data: data.approved },
      { name: data.labels.paid, type: "bar", data: data.paid },
      { name: data.labels.applications, type: "line", yAxisIndex: 1, data: data.applications }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  node.dataset.rendered = "1";
}());
