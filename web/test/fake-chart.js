// A stand-in for lightweight-charts' chart and series objects: records what the kit does, and
// enforces the library's rules the kit must respect (strictly increasing times in setData and
// setMarkers), so a test fails where the real chart would throw.
export const lib = {
  LineSeries: "Line",
  HistogramSeries: "Histogram",
  LineStyle: { Solid: 0, Dashed: 2 },
  createSeriesMarkers(series, markers) {
    const plugin = {
      markers,
      setMarkers(next) { assertAscending(next, "markers"); plugin.markers = next; },
    };
    series.markersPlugin = plugin;
    return plugin;
  },
};

function assertAscending(points, what) {
  points.forEach((p, i) => {
    if (i > 0 && !(p.time >= points[i - 1].time)) throw new Error(`${what} must be sorted by time`);
  });
}

export function fakeSeries(type, opts = {}, pane = 0) {
  const lines = [];
  // read as a property (`series.options.title`) or called as the library's `options()`
  const options = Object.assign(() => options, opts);
  return {
    type, options, pane, data: [],
    applyOptions(o) { Object.assign(options, o); },
    setData(data) {
      data.forEach((p, i) => {
        if (i > 0 && !(p.time > data[i - 1].time)) throw new Error("data must be strictly ascending");
      });
      this.data = data;
    },
    createPriceLine(opts) { const line = { options: () => opts }; lines.push(line); return line; },
    removePriceLine(line) { lines.splice(lines.indexOf(line), 1); },
    priceLines: () => [...lines],
    scale: { mode: 0 },
    priceScale() { const scale = this.scale; return { applyOptions(o) { Object.assign(scale, o); } }; },
  };
}

/** The time scale: what RANGE and ZOOM asked for (logical range in bars, fitContent calls). */
function fakeTimeScale() {
  return {
    visibleRange: null, logical: null, fitted: 0,
    setVisibleRange(range) { this.visibleRange = range; },
    getVisibleLogicalRange() { return this.logical; },
    listeners: new Set(),
    subscribeVisibleLogicalRangeChange(f) { this.listeners.add(f); },
    unsubscribeVisibleLogicalRangeChange(f) { this.listeners.delete(f); },
    setVisibleLogicalRange(range) { this.logical = range; },
    fitContent() { this.fitted += 1; },
  };
}

export function fakeChart() {
  const series = [];
  const panes = [];
  const timeScale = fakeTimeScale();
  return {
    series,
    applied: [],
    applyOptions(options) { this.applied.push(options); },
    timeScale: () => timeScale,
    panes: () => panes,
    addSeries(type, options, pane = 0) {
      while (panes.length <= pane) panes.push({ stretch: 1, setStretchFactor(f) { this.stretch = f; } });
      const s = fakeSeries(type, options, pane);
      series.push(s);
      return s;
    },
    removeSeries(s) { series.splice(series.indexOf(s), 1); },
  };
}

export function bars(count = 120) {
  return Array.from({ length: count }, (_, i) => {
    const close = 100 + 10 * Math.sin(i / 8);
    return { time: 1_700_000_000 + i * 86400, open: close - 0.5, high: close + 1, low: close - 1, close, volume: 1000 + i };
  });
}
