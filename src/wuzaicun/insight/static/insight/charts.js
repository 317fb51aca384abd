// 数据分析的图表: each [data-chart] element is drawn from the JSON of its <script type="application/json">
// (json_script): {kind: "bar" | "line", unit, labels, series: [{name, data}], links, share}. Money (元) is
// drawn in 万元; exact numbers are in the table (图/表). A click on a bar opens its area (links[i]).
(() => {
  const WAN = 10000;

  const read = (id) => {
    const source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  };

  const scaled = (spec) => {
    const money = spec.unit === "元";
    const factor = money ? WAN : 1;
    return {
      unit: money ? "万元" : spec.unit,
      series: spec.series.map((s) => ({ name: s.name, data: s.data.map((v) => Number(v) / factor) })),
    };
  };

  const option = (spec) => {
    const { unit, series } = scaled(spec);
    const line = spec.kind === "line";
    return {
      animation: false,
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: (v) => `${Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 })} ${unit}` },
      xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: spec.labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: unit, max: spec.share ? 100 : null, minInterval: unit === "万元" || spec.share ? 0 : 1 },
      series: series.map((s) => ({
        name: s.name, type: line ? "line" : "bar", data: s.data,
        cursor: !line && spec.links.length ? "pointer" : "default",
      })),
    };
  };

  const draw = (element) => {
    const spec = read(element.dataset.chart);
    if (!spec || !window.echarts) return;
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    // a click anywhere in an area's column (its bars or the space between them) opens that area
    chart.getZr().on("click", (event) => {
      const point = [event.offsetX, event.offsetY];
      if (!spec.links.length || !chart.containPixel("grid", point)) return;
      const index = Math.round(chart.convertFromPixel({ seriesIndex: 0 }, point)[0]);
      const url = spec.links[index];
      if (url) window.location.assign(url);
    });
    element.wzChart = chart;
  };

  const toggle = (button) => {
    const card = button.closest("[data-chart-card]");
    if (!card) return;
    const showTable = button.dataset.chartView === "table";
    const canvas = card.querySelector("[data-chart]");
    const table = card.querySelector("[data-chart-table]");
    canvas.hidden = showTable;
    table.hidden = !showTable;
    card.querySelectorAll("[data-chart-view]").forEach((b) => {
      const on = b === button;
      b.classList.toggle("active", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (!showTable && canvas.wzChart) canvas.wzChart.resize();
  };

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-chart-view]") : null;
    if (button) toggle(button);
  });

  const start = () => {
    document.querySelectorAll("[data-chart]").forEach(draw);
    window.addEventListener("resize", () => {
      document.querySelectorAll("[data-chart]").forEach((el) => { if (el.wzChart) el.wzChart.resize(); });
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
