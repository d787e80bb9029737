// noj-dispatch status page, part 3 of 3 (loaded after format.js and charts.js): the state, the
// polling of the client API every 2 s with the operator's API token, and the page's wiring.
//
// Everything the server returns is untrusted (runner names, protections lines, outputs come
// from runners or contestants): it reaches the page only through textContent, text nodes and
// setAttribute on fixed attribute names — never innerHTML or a URL taken from a response.
'use strict';

(() => {
  const TOKEN_KEY = 'noj-dispatch.api-token';
  const REFRESH_MS = 2000;
  const SUBMISSIONS_SHOWN = 50;

  const { h, verdictBadge, duration, clock, num, sandboxTier, LANGUAGES } = window.NojFormat;
  const { WINDOW_MS, drawThroughput, drawQueueAge } = window.NojCharts;

  // The API sits at the root the page was served under: "/ui" → "", "/judge/ui" → "/judge".
  const apiBase = location.pathname.replace(/\/ui\/?$/, '');

  const $ = (id) => document.getElementById(id);

  // ---- API ----

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  let token = sessionStorage.getItem(TOKEN_KEY) || '';

  async function api(method, path, body) {
    const init = { method, headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(apiBase + path, init);
    } catch (e) {
      throw new ApiError(0, 'cannot reach nojd (' + e.message + ')');
    }
    const text = await resp.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (!resp.ok) {
      const msg = data && typeof data.message === 'string' ? data.message : 'HTTP ' + resp.status;
      throw new ApiError(resp.status, msg);
    }
    return data;
  }

  // ---- state ----

  const ageSamples = []; // [{t, age}] from successive GET /queue
  // Results landed, [{t, n}]: from the page's first poll on, the growth of GET /queue's
  // results_total (cluster-wide, every result); before it, the judged_at of the newest submissions
  // (all the page can know of the past).
  const landed = [];
  let resultsTotal = null; // results_total at the last poll
  let selectedSid = null;
  let timer = null;
  let generation = 0; // bumps on login/logout so a late reply of an old session is ignored
  // One poll at a time: a refresh asked for while one is in flight runs right after it.
  let inFlight = false;
  let again = false;

  function showBanner(text) {
    const b = $('banner');
    b.textContent = text;
    b.hidden = !text;
  }

  function showLogin(message) {
    generation++;
    clearTimeout(timer);
    again = false;
    token = '';
    sessionStorage.removeItem(TOKEN_KEY);
    $('dashboard').hidden = true;
    $('forget').hidden = true;
    $('login').hidden = false;
    $('updated').textContent = '';
    showBanner(message || '');
    ageSamples.length = 0;
    landed.length = 0;
    resultsTotal = null;
    closeDetail();
    $('token').value = '';
    $('token').focus();
  }

  function showDashboard() {
    $('login').hidden = true;
    $('dashboard').hidden = false;
    $('forget').hidden = false;
    showBanner('');
    generation++;
    refresh(generation);
  }

  // ---- rendering ----

  function renderQueue(q, now) {
    $('q-p0').textContent = num(q.pending && q.pending['0']);
    $('q-p1').textContent = num(q.pending && q.pending['1']);
    $('q-p2').textContent = num(q.pending && q.pending['2']);
    $('q-leased').textContent = num(q.leased);
    const oldest = Number(q.oldest_pending_age_ms) || 0;
    $('q-oldest').textContent = q.pending_total > 0 ? duration(oldest) : '–';
    $('q-oldest').classList.toggle('alert', oldest > 60 * 1000);
    $('q-reclaimed').textContent = num(q.reclaimed_total);
    $('q-je').textContent = num(q.judge_error_total);
    ageSamples.push({ t: now, age: oldest });
    while (ageSamples.length && ageSamples[0].t < now - WINDOW_MS) ageSamples.shift();
    renderClasses(Array.isArray(q.classes) ? q.classes : []);
  }

  // judging.md §5: what waits per requirement class, and whether any alive runner can take it
  // ("Java: 12 waiting, no runner").
  function renderClasses(classes) {
    const rows = classes.map((c) => {
      const able = Number(c.runners_able) || 0;
      return h('tr', { 'data-class': c.key, class: able === 0 ? 'no-runner' : null },
        h('td', null, c.label),
        h('td', null, h('code', null, c.key)),
        h('td', null, num(c.pending)),
        h('td', null, duration(Number(c.oldest_pending_age_ms) || 0)),
        h('td', { class: able === 0 ? 'alert' : null }, able === 0 ? 'no runner' : String(able)));
    });
    $('classes').tBodies[0].replaceChildren(...rows);
    $('classes-empty').hidden = classes.length > 0;
  }

  // What a runner declared: "C, C++, Python 3 · checker, fileio".
  function capabilities(r) {
    const langs = (Array.isArray(r.languages) ? r.languages : [])
      .map((code) => LANGUAGES[code] || 'language ' + code);
    const features = Array.isArray(r.features) && r.features.length ? r.features : ['no feature'];
    return langs.join(', ') + ' · ' + features.join(', ');
  }

  function renderRunners(runners, now) {
    const rows = runners.map((r) => {
      const tier = sandboxTier(r.sandbox);
      const jobs = Array.isArray(r.active_jobs) ? r.active_jobs : [];
      return h('tr', { 'data-runner-id': r.runner_id },
        h('td', { class: 'runner-name' }, r.name),
        h('td', null, h('code', null, r.runner_id)),
        h('td', null, h('span', { class: 'badge ' + (r.alive ? 'alive' : 'dead') },
          r.alive ? 'alive' : 'silent')),
        h('td', { title: clock(r.last_seen) }, duration(now - r.last_seen) + ' ago'),
        h('td', { title: jobs.join('\n') }, String(jobs.length)),
        h('td', { class: 'capabilities' }, capabilities(r)),
        h('td', { class: 'protections' },
          h('span', { class: 'badge tier ' + tier.cls }, tier.label),
          r.sandbox ? h('code', { class: 'sandbox-line' }, r.sandbox) : null),
        h('td', null, h('button', {
          type: 'button', class: 'danger revoke', 'data-runner-id': r.runner_id,
          'data-runner-name': r.name,
        }, 'Revoke')));
    });
    $('runners').tBodies[0].replaceChildren(...rows);
    $('runners-empty').hidden = runners.length > 0;
    const alive = runners.filter((r) => r.alive).length;
    $('runners-count').textContent = '(' + alive + ' alive of ' + runners.length + ')';
  }

  function renderSubmissions(subs) {
    const rows = subs.map((x) => h('tr', {
      'data-sid': x.submission_id,
      class: x.submission_id === selectedSid ? 'selected' : null,
      tabindex: 0,
    },
    h('td', null, h('code', null, x.submission_id)),
    h('td', null, String(x.problem_id)),
    h('td', null, LANGUAGES[x.language] || String(x.language)),
    h('td', null, verdictBadge(x.status)),
    h('td', { class: 'score' }, x.status >= 0 ? String(x.score) : '–'),
    h('td', null, x.status >= 0 ? x.execTime + ' ms' : '–'),
    h('td', null, x.status >= 0 ? x.memoryUsage + ' KiB' : '–'),
    h('td', null, String(x.attempts)),
    h('td', null, clock(x.created_at)),
    h('td', null, clock(x.judged_at))));
    $('submissions').tBodies[0].replaceChildren(...rows);
    $('subs-empty').hidden = subs.length > 0;
  }

  // ---- submission detail ----

  function closeDetail() {
    selectedSid = null;
    $('detail').hidden = true;
    $('output').hidden = true;
    for (const tr of $('submissions').querySelectorAll('tr.selected')) tr.classList.remove('selected');
  }

  async function openDetail(sid) {
    if (selectedSid !== sid) $('output').hidden = true;
    selectedSid = sid;
    for (const tr of $('submissions').tBodies[0].rows) {
      tr.classList.toggle('selected', tr.dataset.sid === sid);
    }
    $('detail').hidden = false;
    $('detail-sid').textContent = sid;
    await loadDetail(sid, generation);
  }

  async function loadDetail(sid, gen) {
    let sub;
    try {
      sub = await api('GET', '/submissions/' + encodeURIComponent(sid));
    } catch (e) {
      if (gen !== generation || sid !== selectedSid) return;
      if (e.status === 401) return showLogin('The API token was refused.');
      $('detail-summary').replaceChildren('Cannot load ' + sid + ': ' + e.message);
      $('cases').tBodies[0].replaceChildren();
      return;
    }
    if (gen !== generation || sid !== selectedSid) return;
    renderDetail(sub);
  }

  function renderDetail(sub) {
    const parts = [verdictBadge(sub.status)];
    if (sub.status >= 0) {
      parts.push(' score ' + sub.score + ' · ' + sub.execTime + ' ms · ' + sub.memoryUsage + ' KiB');
    }
    parts.push(' · problem ' + sub.problem_id + ' · ' + (LANGUAGES[sub.language] || sub.language));
    parts.push(' · priority ' + sub.priority + ' · attempts ' + sub.attempts);
    if (sub.job_state) parts.push(' · job ' + sub.job_state);
    if (sub.runner_id) parts.push(' on ', h('code', null, sub.runner_id));
    $('detail-summary').replaceChildren(...parts);
    $('rejudge').disabled = false;

    const rows = [];
    const tasks = Array.isArray(sub.tasks) ? sub.tasks : [];
    tasks.forEach((t, ti) => {
      rows.push(h('tr', { class: 'task-row' },
        h('td', null, 'Task ' + ti),
        h('td', null, (t.cases || []).length + ((t.cases || []).length === 1 ? ' case' : ' cases')),
        h('td', null, verdictBadge(t.status)), h('td', null, String(t.score)),
        h('td', null, t.execTime + ' ms'), h('td', null, t.memoryUsage + ' KiB'),
        h('td', null, ''), h('td', null, '')));
      (t.cases || []).forEach((c, ci) => {
        // judging.md §6: points, wall time and the checker's message when the runner sent them.
        const points = typeof c.points === 'number' ? c.points.toFixed(3).replace(/\.?0+$/, '') + ' pt' : '';
        const time = c.execTime + ' ms' + (typeof c.wallTime === 'number' ? ' (wall ' + c.wallTime + ' ms)' : '');
        rows.push(h('tr', { class: 'case-row', 'data-task': ti, 'data-case': ci },
          h('td', null, ''), h('td', null, String(ci)), h('td', null, verdictBadge(c.status)),
          h('td', null, points), h('td', null, time),
          h('td', null, c.memoryUsage + ' KiB'), h('td', null, String(c.exitCode)),
          h('td', null, h('button', {
            type: 'button', class: 'secondary show-output', 'data-task': ti, 'data-case': ci,
          }, 'Output'))));
        if (typeof c.message === 'string' && c.message !== '') {
          rows.push(h('tr', { class: 'case-message' },
            h('td', null, ''), h('td', { colspan: 7, class: 'muted' }, h('pre', null, c.message))));
        }
      });
    });
    if (rows.length === 0) {
      rows.push(h('tr', null, h('td', { colspan: 8, class: 'muted' },
        sub.status === -1 ? 'Not judged yet.' : 'No per-case results.')));
    }
    $('cases').tBodies[0].replaceChildren(...rows);
  }

  async function showOutput(task, kase) {
    const sid = selectedSid;
    if (!sid) return;
    $('output').hidden = false;
    $('output-title').textContent = 'Task ' + task + ', case ' + kase;
    $('output-stdout').textContent = '…';
    $('output-stderr').textContent = '';
    try {
      const o = await api('GET', '/submissions/' + encodeURIComponent(sid) + '/cases/' + task +
        '/' + kase);
      if (sid !== selectedSid) return;
      $('output-stdout').textContent = typeof o.stdout === 'string' ? o.stdout : '';
      $('output-stderr').textContent = typeof o.stderr === 'string' ? o.stderr : '';
    } catch (e) {
      if (e.status === 401) return showLogin('The API token was refused.');
      $('output-stdout').textContent = 'Cannot load the output: ' + e.message;
    }
  }

  // ---- actions ----

  async function rejudge() {
    const sid = selectedSid;
    if (!sid) return;
    $('rejudge').disabled = true;
    try {
      await api('POST', '/submissions/' + encodeURIComponent(sid) + '/rejudge');
      showBanner('');
    } catch (e) {
      if (e.status === 401) return showLogin('The API token was refused.');
      showBanner('Rejudge of ' + sid + ' failed: ' + e.message);
    }
    $('output').hidden = true;
    refreshSoon();
  }

  async function revoke(id, name) {
    if (!window.confirm('Revoke runner “' + name + '” (' + id + ')?\n\nIts next call gets 401 ' +
      'and its leased jobs are reclaimed when their leases expire.')) {
      return;
    }
    try {
      await api('DELETE', '/runners/' + encodeURIComponent(id));
      showBanner('');
    } catch (e) {
      if (e.status === 401) return showLogin('The API token was refused.');
      showBanner('Revoking ' + id + ' failed: ' + e.message);
    }
    refreshSoon();
  }

  async function redeliver(eventId) {
    try {
      await api('POST', '/callbacks/' + encodeURIComponent(eventId) + '/redeliver', {});
      showBanner('');
    } catch (e) {
      if (e.status === 401) return showLogin('The API token was refused.');
      showBanner('Redelivering ' + eventId + ' failed: ' + e.message);
    }
    refreshSoon();
  }

  // ---- polling ----

  async function refresh(gen) {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    clearTimeout(timer);
    try {
      await pollOnce(gen);
    } finally {
      inFlight = false;
    }
    if (again) {
      again = false;
      refresh(generation);
    } else if (gen === generation && !$('dashboard').hidden) {
      timer = setTimeout(() => refresh(generation), REFRESH_MS);
    }
  }

  function noteLanded(q, subs, now) {
    const total = Number(q.results_total);
    if (!Number.isFinite(total)) return;
    if (resultsTotal === null) {
      for (const x of subs) {
        if (x.judged_at && x.judged_at > now - WINDOW_MS) landed.push({ t: x.judged_at, n: 1 });
      }
    } else if (total > resultsTotal) {
      landed.push({ t: now, n: total - resultsTotal });
    }
    resultsTotal = total; // smaller (a fresh store behind the same URL): count from here
    const kept = landed.filter((e) => e.t >= now - WINDOW_MS);
    landed.splice(0, landed.length, ...kept);
  }

  // A failed poll leaves the last data on screen and says why in the banner.
  async function pollOnce(gen) {
    let results;
    try {
      results = await Promise.all([
        api('GET', '/queue'),
        api('GET', '/runners'),
        api('GET', '/submissions?limit=' + SUBMISSIONS_SHOWN),
        // Its own failure (an older nojd) must not blank the rest of the page.
        api('GET', '/callbacks?state=dead&limit=20').catch(() => null),
      ]);
    } catch (e) {
      if (gen !== generation) return;
      if (e.status === 401) {
        showLogin('The API token was refused.');
        return;
      }
      showBanner('Refresh failed: ' + e.message + ' — retrying every 2 s.');
      return;
    }
    if (gen !== generation) return;
    const [queue, runners, list, callbacks] = results;
    const now = Date.now();
    const subs = list && Array.isArray(list.submissions) ? list.submissions : [];
    noteLanded(queue || {}, subs, now);
    renderQueue(queue || {}, now);
    renderRunners(Array.isArray(runners) ? runners : [], now);
    renderSubmissions(subs);
    window.NojCallbacks.render(callbacks, now);
    drawThroughput($('chart-throughput'), $('throughput-now'), landed, now);
    drawQueueAge($('chart-age'), $('age-now'), ageSamples, now);
    showBanner('');
    $('updated').textContent = 'Updated ' + new Date(now).toLocaleTimeString([], { hour12: false });
    if (selectedSid) await loadDetail(selectedSid, gen);
  }

  function refreshSoon() { refresh(generation); }

  // ---- wiring ----

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const value = $('token').value.trim();
      // A header value must be visible ASCII; refuse anything else here rather than in fetch.
      if (!/^[\x21-\x7e]+$/.test(value)) {
        showBanner('The token must be printable ASCII without spaces.');
        return;
      }
      token = value;
      sessionStorage.setItem(TOKEN_KEY, token);
      showDashboard();
    });
    $('forget').addEventListener('click', () => showLogin('Token forgotten.'));
    $('detail-close').addEventListener('click', closeDetail);
    $('rejudge').addEventListener('click', rejudge);

    const subsBody = $('submissions').tBodies[0];
    subsBody.addEventListener('click', (ev) => {
      const tr = ev.target.closest('tr[data-sid]');
      if (tr) openDetail(tr.dataset.sid);
    });
    subsBody.addEventListener('keydown', (ev) => {
      const tr = ev.target.closest('tr[data-sid]');
      if (tr && (ev.key === 'Enter' || ev.key === ' ')) {
        ev.preventDefault();
        openDetail(tr.dataset.sid);
      }
    });
    $('runners').tBodies[0].addEventListener('click', (ev) => {
      const b = ev.target.closest('button.revoke');
      if (b) revoke(b.dataset.runnerId, b.dataset.runnerName);
    });
    $('callback-dead').tBodies[0].addEventListener('click', (ev) => {
      const b = ev.target.closest('button.redeliver');
      if (b) redeliver(b.dataset.eventId);
    });
    $('cases').tBodies[0].addEventListener('click', (ev) => {
      const b = ev.target.closest('button.show-output');
      if (b) showOutput(Number(b.dataset.task), Number(b.dataset.case));
    });

    if (token) showDashboard();
    else showLogin('');
  });
})();
