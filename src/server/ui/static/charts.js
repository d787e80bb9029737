// noj-dispatch status page, part 2 of 3: the two charts (inline SVG), drawn from the data app.js
// keeps; no state of their own.
'use strict';

window.NojCharts = (() => {
  const { s, duration } = window.NojFormat;
  const WINDOW_MS = 5 * 60 * 1000; // charts show the last 5 minutes
  const BIN_MS = 10 * 1000; // throughput bins

  // ---- charts (inline SVG, 300 × 90 user units; plot area x 24..296, y 6..78) ----

  const PLOT = { x0: 24, x1: 296, y0: 6, y1: 78 };

  function chartFrame(svg, max, unit) {
    svg.replaceChildren(
      s('line', { class: 'axis', x1: PLOT.x0, y1: PLOT.y1, x2: PLOT.x1, y2: PLOT.y1 }),
      s('line', { class: 'axis', x1: PLOT.x0, y1: PLOT.y0, x2: PLOT.x1, y2: PLOT.y0 }),
      s('text', { x: 2, y: PLOT.y0 + 3 }, max + unit),
      s('text', { x: 2, y: PLOT.y1 }, '0'),
      s('text', { x: PLOT.x0, y: 88 }, '−5 min'),
      s('text', { x: PLOT.x1 - 12, y: 88 }, 'now'));
  }

  // Results landed per 10 s bin over the last 5 minutes, from `landed`: [{t, n}].
  function drawThroughput(svg, label, landed, now) {
    const bins = new Array(WINDOW_MS / BIN_MS).fill(0);
    for (const { t, n } of landed) {
      const i = bins.length - 1 - Math.floor((now - t) / BIN_MS);
      if (i >= 0 && i < bins.length) bins[i] += n;
    }
    const max = Math.max(1, ...bins);
    chartFrame(svg, max, '');
    const w = (PLOT.x1 - PLOT.x0) / bins.length;
    bins.forEach((n, i) => {
      if (n === 0) return;
      const hgt = ((PLOT.y1 - PLOT.y0) * n) / max;
      svg.append(s('rect', {
        class: 'bar', x: (PLOT.x0 + i * w + 0.5).toFixed(2), y: (PLOT.y1 - hgt).toFixed(2),
        width: (w - 1).toFixed(2), height: hgt.toFixed(2),
      }, undefined));
    });
    const total = bins.reduce((a, b) => a + b, 0);
    svg.setAttribute('aria-label', total + ' results landed in the last 5 minutes');
    label.textContent = '· ' + total + ' in 5 min';
  }

  // The oldest pending job's age, one sample per poll (`ageSamples`: [{t, age}]).
  function drawQueueAge(svg, label, ageSamples, now) {
    const maxMs = Math.max(1000, ...ageSamples.map((p) => p.age));
    const maxS = Math.ceil(maxMs / 1000);
    chartFrame(svg, maxS, ' s');
    if (ageSamples.length > 0) {
      const pts = ageSamples.map((p) => {
        const x = PLOT.x1 - ((now - p.t) / WINDOW_MS) * (PLOT.x1 - PLOT.x0);
        const y = PLOT.y1 - ((PLOT.y1 - PLOT.y0) * p.age) / (maxS * 1000);
        return x.toFixed(2) + ',' + y.toFixed(2);
      });
      if (pts.length === 1) pts.push(pts[0]);
      svg.append(s('polyline', { class: 'line', points: pts.join(' ') }));
    }
    const last = ageSamples.length ? ageSamples[ageSamples.length - 1].age : 0;
    svg.setAttribute('aria-label', 'Oldest pending job: ' + duration(last));
    label.textContent = '· now ' + duration(last);
  }

  return Object.freeze({ WINDOW_MS, drawThroughput, drawQueueAge });
})();
