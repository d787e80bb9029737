// noj-dispatch status page, the result-callbacks panel (docs/callbacks.md), drawn from
// GET /callbacks?state=dead: the outbox's figures, each target, the dead deliveries with a
// Redeliver button (app.js handles its click). No state of its own; everything from the server
// reaches the page as text only.
'use strict';

window.NojCallbacks = (() => {
  const { h, duration, num } = window.NojFormat;
  const $ = (id) => document.getElementById(id);

  function render(view, now) {
    if (!view) return; // an older nojd without callbacks: the panel keeps its last state
    const oldest = Number(view.oldest_pending_age_ms) || 0;
    $('cb-pending').textContent = num(view.pending);
    $('cb-leased').textContent = num(view.leased);
    $('cb-dead').textContent = num(view.dead);
    $('cb-dead').classList.toggle('alert', Number(view.dead) > 0);
    $('cb-oldest').textContent = Number(view.pending) > 0 ? duration(oldest) : '–';
    $('cb-oldest').classList.toggle('alert', oldest > 60 * 1000);
    $('cb-delivered').textContent = num(view.delivered_total);
    const targets = Array.isArray(view.targets) ? view.targets : [];
    $('callback-targets').tBodies[0].replaceChildren(...targets.map((t) => h('tr', null,
      h('td', null, h('code', null, t.url)),
      h('td', null, num(t.pending)),
      h('td', { class: Number(t.dead) > 0 ? 'alert' : null }, num(t.dead)),
      h('td', null, Number(t.pending) > 0 ? duration(Number(t.oldest_pending_age_ms) || 0) : '–'))));
    $('callback-targets-empty').hidden = targets.length > 0;
    const dead = (Array.isArray(view.deliveries) ? view.deliveries : [])
      .filter((d) => d.state === 'dead');
    $('callback-dead').tBodies[0].replaceChildren(...dead.map((d) => h('tr', null,
      h('td', null, h('code', null, d.event_id)),
      h('td', null, h('code', null, d.submission_id)),
      h('td', null, num(d.attempts)),
      h('td', null, duration(now - Number(d.created_at)) + ' ago'),
      h('td', { class: 'last-error' }, d.last_error),
      h('td', null, h('button', {
        type: 'button', class: 'redeliver', 'data-event-id': d.event_id,
      }, 'Redeliver')))));
    $('callback-dead-wrap').hidden = dead.length === 0;
  }

  return { render };
})();
