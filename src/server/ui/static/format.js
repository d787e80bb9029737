// noj-dispatch status page, part 1 of 3: DOM building and formatting, no state.
// Text only: values reach the page through textContent, text nodes and setAttribute on fixed
// attribute names — never innerHTML (see app.js).
'use strict';

window.NojFormat = (() => {
  // protocol.md §3
  const VERDICTS = new Map([
    [-2, ['No code', 'v-nocode']], [-1, ['Pending', 'v-pending']], [0, ['AC', 'v-ac']],
    [1, ['WA', 'v-wa']], [2, ['CE', 'v-ce']], [3, ['TLE', 'v-tle']], [4, ['MLE', 'v-mle']],
    [5, ['RE', 'v-re']], [6, ['JE', 'v-je']], [7, ['OLE', 'v-ole']],
  ]);
  const VERDICT_TITLES = new Map([
    [-2, 'no code'], [-1, 'pending'], [0, 'accepted'], [1, 'wrong answer'],
    [2, 'compile error'], [3, 'time limit exceeded'], [4, 'memory limit exceeded'],
    [5, 'runtime error'], [6, 'judge error'], [7, 'output limit exceeded'],
  ]);
  const LANGUAGES = ['C', 'C++', 'Python 3'];

  // ---- DOM helpers (text only) ----

  function h(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : String(c)); // a string becomes a text node
    }
    return e;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function s(tag, attrs, text) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  function verdictBadge(code) {
    const [label, cls] = VERDICTS.get(code) || [String(code), 'v-pending'];
    return h('span', { class: 'badge verdict ' + cls, title: VERDICT_TITLES.get(code) || '' },
      label);
  }

  // ---- formatting ----

  function duration(ms) {
    if (!Number.isFinite(ms) || ms < 0) ms = 0;
    const sec = Math.floor(ms / 1000);
    if (sec < 60) return sec + ' s';
    const min = Math.floor(sec / 60);
    if (min < 60) return min + ' min ' + (sec % 60) + ' s';
    return Math.floor(min / 60) + ' h ' + (min % 60) + ' min';
  }
  function clock(ms) {
    if (!ms) return '–';
    const d = new Date(ms);
    const today = new Date();
    const time = d.toLocaleTimeString([], { hour12: false });
    return d.toDateString() === today.toDateString() ? time : d.toLocaleDateString() + ' ' + time;
  }
  function num(v) { return Number.isFinite(v) ? String(v) : '–'; }

  // The sandbox tier from a protections line (docs/sandbox.md "Tiers"), e.g.
  // "cgroup-mem=v2 cgroup-pids=v2 cgroup-cpu=v2 kill=cgroup ns=pid,mnt,net,ipc,uts … uid=dedicated".
  function sandboxTier(line) {
    if (!line) return { label: 'unknown', cls: 'tier-unknown' };
    // noj-runner --fake-judge (chaos tests) invents verdicts and runs nothing.
    if (line === 'fake-judge') return { label: 'fake judge', cls: 'tier-weak' };
    const f = new Map();
    for (const item of line.split(/\s+/)) {
      const eq = item.indexOf('=');
      if (eq > 0) f.set(item.slice(0, eq), item.slice(eq + 1));
    }
    if (!f.has('ns') || !f.has('cgroup-mem')) return { label: 'other', cls: 'tier-unknown' };
    if (f.get('uid') === 'self') return { label: 'not root (insecure)', cls: 'tier-weak' };
    if (f.get('cgroup-mem') === 'none' || f.get('cgroup-pids') === 'none') {
      return { label: 'rlimits (insecure)', cls: 'tier-weak' };
    }
    if (f.get('ns') === 'none') return { label: 'cgroups, no namespaces', cls: 'tier-partial' };
    if (f.get('seccomp') !== 'yes') return { label: 'full, no seccomp', cls: 'tier-partial' };
    return { label: 'full', cls: 'tier-full' };
  }

  return Object.freeze({ h, s, verdictBadge, duration, clock, num, sandboxTier, LANGUAGES });
})();
