// The console benchmarks' page: the console's drawing path and decoder (our wasm,
// built from benches/console) against uPlot and JSON.parse, in the same page, on the
// same data, on canvases of the same CSS size. The driver (src/bin/bench-console.rs)
// calls `window.bench.*` over WebDriver and prints the numbers.
import init, * as wasm from "./pkg/vantage_bench_console.js";
import uPlot from "./uplot/uPlot.esm.js";

const WIDTH = 1200;
const HEIGHT = 300;
const SPAN_S = 86400; // one day of data, whatever the number of points
const T0 = 1_700_000_000;
// The console's light-theme series colours (components/src/palette.rs FALLBACK).
const COLOURS = [[49, 130, 206], [221, 107, 32], [56, 161, 105], [214, 60, 88], [128, 90, 213], [0, 163, 196], [183, 121, 31], [213, 63, 140], [90, 103, 216], [100, 116, 139]].map(([r, g, b]) => `rgb(${r},${g},${b})`);

/// A deterministic xorshift generator in [0, 1).
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/// `series` random walks of `points` samples each, on one shared time column.
function makeData(points, series) {
  const step = SPAN_S / points;
  const times = new Float64Array(points);
  for (let i = 0; i < points; i++) times[i] = T0 + i * step;
  const columns = [];
  for (let k = 0; k < series; k++) {
    const next = rng(1234 + k);
    const values = new Float64Array(points);
    let v = 100 + 20 * k;
    for (let i = 0; i < points; i++) {
      v += next() - 0.5;
      // A rare spike, which decimation must keep.
      values[i] = next() > 0.9995 ? v + 30 * (next() - 0.5) : v;
    }
    columns.push(values);
  }
  return { times, columns, step, t0: T0, t1: T0 + (points - 1) * step };
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p95: at(0.95), min: s[0], n: s.length };
}

/// Runs `fn` then reads one pixel back, so the timing includes the raster work.
function timed(ctx, fn) {
  const start = performance.now();
  fn();
  ctx.getImageData(0, 0, 1, 1);
  return performance.now() - start;
}

/// Coloured (non-grey) pixels on a canvas, to check that a drawing drew lines.
function coloured(canvas) {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    const max = Math.max(data[i], data[i + 1], data[i + 2]);
    const min = Math.min(data[i], data[i + 1], data[i + 2]);
    if (max - min > 60) n++;
  }
  return n;
}

const pause = () => new Promise((r) => setTimeout(r, 0));

let plot = null;

/// Draw benchmark for one size: `reps` timed drawings of each method (after `warmup`
/// untimed ones), interleaved so that drift hits every method alike.
async function draw({ points, series, reps, warmup }) {
  const data = makeData(points, series);
  wasm.clear_series();
  for (const values of data.columns) wasm.add_series(data.times, values);
  const consoleCanvas = document.getElementById("console");
  const fastCanvas = document.getElementById("fast");
  const consoleCtx = consoleCanvas.getContext("2d");
  const fastCtx = fastCanvas.getContext("2d");
  if (plot) plot.destroy();
  const target = document.getElementById("uplot");
  plot = new uPlot(
    {
      width: WIDTH,
      height: HEIGHT,
      cursor: { show: false },
      legend: { show: false },
      scales: { x: { time: true } },
      series: [{}, ...data.columns.map((_, k) => ({ stroke: COLOURS[k % COLOURS.length], width: 1.5 }))],
    },
    [new Float64Array(0), ...data.columns.map(() => new Float64Array(0))],
    target,
  );
  const uData = [data.times, ...data.columns];
  const { t0, t1, step } = data;
  // The plotting area the console decimates to, in device pixels (see fast.rs).
  const dpr = window.devicePixelRatio;
  const methods = {
    console: () => timed(consoleCtx, () => wasm.draw_console(consoleCanvas, t0, t1, step)),
    uplot: () => timed(plot.ctx, () => plot.batch(() => plot.setData(uData))),
    console_frame_only: () => timed(consoleCtx, () => wasm.draw_console_frame(consoleCanvas, t0, t1, step)),
    decimate_only: () => {
      const start = performance.now();
      wasm.decimate_only(t0, t1, step, Math.round((WIDTH - 74) * dpr));
      return performance.now() - start;
    },
    fast_text: () => timed(fastCtx, () => wasm.draw_fast(fastCanvas, t0, t1, step, true, false)),
    fast_text_lines: () => timed(fastCtx, () => wasm.draw_fast(fastCanvas, t0, t1, step, true, true)),
  };
  const samples = Object.fromEntries(Object.keys(methods).map((k) => [k, []]));
  const names = Object.keys(methods);
  for (let rep = 0; rep < warmup + reps; rep++) {
    // Rotate the order every repetition.
    for (let j = 0; j < names.length; j++) {
      const name = names[(rep + j) % names.length];
      const ms = methods[name]();
      if (rep >= warmup) samples[name].push(ms);
      await pause();
    }
  }
  // Leave the last drawings on screen (console, prototype, uPlot) and check they drew.
  wasm.draw_console(consoleCanvas, t0, t1, step);
  wasm.draw_fast(fastCanvas, t0, t1, step, true, true);
  plot.batch(() => plot.setData(uData));
  const result = { points, series, dpr, canvas: [consoleCanvas.width, consoleCanvas.height] };
  for (const name of names) result[name] = stats(samples[name]);
  result.coloured = { console: coloured(consoleCanvas), fast: coloured(fastCanvas), uplot: coloured(plot.ctx.canvas) };
  result.kept_points = wasm.decimate_only(t0, t1, step, Math.round((WIDTH - 74) * dpr));
  return result;
}

/// A realistic `query_range` answer of about `bytes` bytes: `series` series with
/// Prometheus-style labels, 15 s steps, integer timestamps, values as strings.
function makeMatrix(bytes, series) {
  const next = rng(99);
  const repos = ["acme/api", "acme/web", "acme/infra", "globex/ml", "globex/etl", "initech/core", "initech/tools"];
  const models = ["claude-sonnet-4", "gpt-4.1", "gemini-2.5-pro", "llama-3.3-70b"];
  const parts = ['{"status":"success","data":{"resultType":"matrix","result":['];
  // The size of one point as written below, to pick the number of points per series.
  const perPoint = '[1700000015,"12.3456789012345"],'.length;
  const points = Math.max(1, Math.round(bytes / series / perPoint));
  for (let k = 0; k < series; k++) {
    const metric = {
      __name__: "orchestrator_cost_attribution",
      repository: repos[k % repos.length],
      user: `user-${k % 40}`,
      model: models[k % models.length],
      instance: "127.0.0.1:9464",
      job: "orchestrator",
    };
    let v = 10 + next() * 100;
    const values = new Array(points);
    for (let i = 0; i < points; i++) {
      v = Math.max(0, v + (next() - 0.5));
      values[i] = `[${1_700_000_000 + i * 15},"${String(v)}"]`;
    }
    parts.push(`${k ? "," : ""}{"metric":${JSON.stringify(metric)},"values":[${values.join(",")}]}`);
  }
  parts.push("]}}");
  return parts.join("");
}

/// Decode benchmark: the same body decoded by the console's decoder and by JSON.parse.
async function decode({ bytes, series, reps, warmup }) {
  const text = makeMatrix(bytes, series);
  const body = new TextEncoder().encode(text);
  wasm.load_body(body);
  let samplesDecoded = 0;
  const methods = {
    wasm_from_string: () => { samplesDecoded = wasm.decode_text(text); },
    wasm_from_bytes: () => { samplesDecoded = wasm.decode_bytes(body); },
    wasm_in_memory: () => { samplesDecoded = wasm.decode_loaded(); },
    json_parse: () => { JSON.parse(text); },
    json_parse_columns: () => {
      const parsed = JSON.parse(text);
      for (const s of parsed.data.result) {
        const n = s.values.length;
        const times = new Float64Array(n);
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          times[i] = s.values[i][0];
          values[i] = parseFloat(s.values[i][1]);
        }
        s.times = times;
        s.columns = values;
      }
    },
  };
  const names = Object.keys(methods);
  const samples = Object.fromEntries(names.map((k) => [k, []]));
  for (let rep = 0; rep < warmup + reps; rep++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(rep + j) % names.length];
      const start = performance.now();
      methods[name]();
      const ms = performance.now() - start;
      if (rep >= warmup) samples[name].push(ms);
      await pause();
    }
  }
  const result = { bytes: body.length, series, samples: samplesDecoded };
  for (const name of names) result[name] = stats(samples[name]);
  return result;
}

window.bench = {
  ready: init().then(() => {
    document.getElementById("status").textContent = "ready";
    return { dpr: window.devicePixelRatio, userAgent: navigator.userAgent };
  }),
  draw,
  decode,
};
