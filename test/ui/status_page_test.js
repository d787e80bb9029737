// The status page (GET /ui) in headless Chromium, against a real nojd.
//
//   node status_page_test.js --nojd PATH/TO/nojd
//
// Starts nojd on a free loopback port with a temporary data dir, creates a problem with
// testdata, registers a runner that reports its sandbox protections, submits, and judges the job
// by acting as that runner over HTTP. Then in the browser: a wrong token is refused, the right one
// opens the page, which lists the runner with its tier and the submission with its verdict and
// score; a click shows the per-case table and a case's output; Rejudge moves the submission
// back to pending (checked over HTTP too); Revoke (confirmed) removes the runner (its next call
// gets 401); "Forget token" drops the token. Any console error or page error fails the test.
//
// Exit codes: 0 pass, 1 fail, 77 skipped (no browser or no playwright-core; ctest
// SKIP_RETURN_CODE). Chromium: $NOJ_CHROMIUM or /usr/bin/chromium. playwright-core: this
// directory's node_modules (npm ci) or $NOJ_PLAYWRIGHT_CORE (a path to the package).
// $NOJ_UI_SCREENSHOT=file.png saves a full-page screenshot with the submission's cases open.
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const SKIP = 77;
const DEADLINE_MS = 90 * 1000; // the whole test; it normally takes ~5 s

function skip(why) {
  console.log('SKIPPED: ' + why);
  process.exit(SKIP);
}

function loadPlaywright() {
  const candidates = [process.env.NOJ_PLAYWRIGHT_CORE, 'playwright-core'].filter(Boolean);
  for (const c of candidates) {
    try {
      return require(c);
    } catch {
      // try the next one
    }
  }
  return null;
}

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : null;
}

// ---- a zip of stored (uncompressed) entries: enough for testdata, no dependency ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function storedZip(files) {
  const parts = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of files) {
    const nameBuf = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // method: stored
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(0, 8);
    cen.writeUInt16LE(0, 10);
    cen.writeUInt32LE(0, 12);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(data.length, 20);
    cen.writeUInt32LE(data.length, 24);
    cen.writeUInt16LE(nameBuf.length, 28);
    cen.writeUInt32LE(offset, 42);
    parts.push(local, nameBuf, data);
    central.push(cen, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const cdir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cdir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdir, end]);
}

// ---- nojd ----

class Nojd {
  constructor(binary) {
    this.binary = binary;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noj-ui-test-'));
    this.apiToken = 'at_' + crypto.randomBytes(16).toString('hex');
    this.registrationToken = 'rt_' + crypto.randomBytes(16).toString('hex');
    this.child = null;
    this.base = null;
  }

  start() {
    const log = fs.openSync(path.join(this.dir, 'nojd.log'), 'a');
    this.child = spawn(this.binary,
      ['--listen', '127.0.0.1:0', '--data-dir', this.dir, '--log-level', 'warn',
        // Result callbacks to a closed port die after a second (docs/callbacks.md).
        '--callback-allow', '127.0.0.1', '--callback-max-age', '1',
        '--callback-retry-base-ms', '100'], {
        env: {
          ...process.env,
          NOJ_API_TOKEN: this.apiToken,
          NOJ_REGISTRATION_TOKEN: this.registrationToken,
        },
        stdio: ['ignore', 'pipe', log],
      });
    fs.closeSync(log);
    return new Promise((resolve, reject) => {
      const lines = readline.createInterface({ input: this.child.stdout });
      lines.on('line', (line) => {
        const m = /^nojd listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (m && !this.base) {
          this.base = m[1];
          resolve();
        }
      });
      this.child.on('exit', (code, signal) => {
        if (!this.base) reject(new Error(`nojd exited (${code ?? signal}): ${this.log()}`));
      });
    });
  }

  log() {
    try {
      return fs.readFileSync(path.join(this.dir, 'nojd.log'), 'utf8');
    } catch {
      return '';
    }
  }

  // SIGTERM, then SIGKILL after 5 s; removes the data dir.
  async stop() {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  async request(method, urlPath, { token, body, headers } = {}) {
    const h = { ...(headers || {}) };
    if (token) h.Authorization = 'Bearer ' + token;
    let payload = body;
    if (body !== undefined && !Buffer.isBuffer(body)) {
      h['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const r = await fetch(this.base + urlPath, { method, headers: h, body: payload });
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: r.status, json, text };
  }

  async api(method, urlPath, body, expect) {
    const r = await this.request(method, urlPath, { token: this.apiToken, body });
    assert.equal(r.status, expect, `${method} ${urlPath}: ${r.text}`);
    return r.json;
  }
}

// ---- the scenario ----

const PROTECTIONS = 'cgroup-mem=v2 cgroup-pids=v2 cgroup-cpu=v2 kill=cgroup ' +
  'ns=pid,mnt,net,ipc,uts netns=shared seccomp=yes landlock=scope uid=dedicated';
// Names and outputs come from runners and contestants: the page must show them as text.
const RUNNER_NAME = '<img src=x onerror="window.__pwned=1">judge&1';
const HOSTILE_OUTPUT = '</pre><script>window.__pwned=2</script><b>3</b>\n';
// Nothing listens on loopback's port 9: every callback attempt is refused.
const CLOSED_HOOK = 'http://127.0.0.1:9/hook';

// One case of a complete body.
function kase(status, out) {
  return {
    status, exitCode: status === 'AC' ? 0 : 1, execTime: 12, memoryUsage: 2048,
    stdout: out, stderr: status === 'AC' ? '' : 'expected 2',
  };
}

async function setUpJudgedSubmission(nojd) {
  const tasks = [[40, 1], [60, 2]];
  const created = await nojd.api('POST', '/problems', {
    title: 'A+B',
    tasks: tasks.map(([score, cases]) => ({
      taskScore: score, caseCount: cases, memoryLimit: 65536, timeLimit: 1000,
    })),
  }, 201);
  const pid = created.problem_id;
  const files = [];
  tasks.forEach(([, cases], t) => {
    for (let c = 0; c < cases; c++) {
      const stem = String(t).padStart(2, '0') + String(c).padStart(2, '0');
      files.push([stem + '.in', `${t} ${c}\n`], [stem + '.out', `${t + c}\n`]);
    }
  });
  const up = await nojd.request('PUT', `/problems/${pid}/testdata`, {
    token: nojd.apiToken, body: storedZip(files), headers: { 'Content-Type': 'application/zip' },
  });
  assert.equal(up.status, 200, up.text);

  const reg = await nojd.request('POST', '/runners/register', {
    body: {
      registration_token: nojd.registrationToken, name: RUNNER_NAME, sandbox: PROTECTIONS,
    },
  });
  assert.equal(reg.status, 201, reg.text);
  const runner = { id: reg.json.runner_id, token: reg.json.token };

  const sub = await nojd.api('POST', '/submissions', {
    problem_id: pid, language: 1, code: 'int main() { return 0; }', callback_url: CLOSED_HOOK,
  }, 201);
  const sid = sub.submission_id;

  const claim = await nojd.request('GET', `/runners/${runner.id}/next-job?wait=5`,
    { token: runner.token });
  assert.equal(claim.status, 200, claim.text);
  const job = claim.json;
  assert.equal(job.submission_id ?? sid, sid);
  const done = await nojd.request('PUT', `/runners/${runner.id}/jobs/${job.job_id}/complete`, {
    token: runner.token,
    headers: job.attempt !== undefined ? { 'X-Job-Attempt': String(job.attempt) } : {},
    body: {
      tasks: [[kase('AC', '0\n')], [kase('AC', '1\n'),
        // judging.md §6 extensions, the message hostile like any text from a runner
        { ...kase('WA', HOSTILE_OUTPUT), wallTime: 31, points: 0.25, message: HOSTILE_OUTPUT }]],
    },
  });
  assert.equal(done.status, 204, done.text);
  const judged = await nojd.api('GET', `/submissions/${sid}`, undefined, 200);
  assert.equal(judged.status, 1); // WA
  assert.equal(judged.score, 40);

  // judging.md §5: a job that needs a checker, which this runner (it declared nothing) cannot
  // take: it waits, shown per requirement class with no runner able to take it.
  const checked = await nojd.api('POST', '/problems', {
    title: 'A+B, exact',
    tasks: tasks.map(([score, cases]) => ({
      taskScore: score, caseCount: cases, memoryLimit: 65536, timeLimit: 1000,
    })),
    checker: { type: 'exact' },
  }, 201);
  const up2 = await nojd.request('PUT', `/problems/${checked.problem_id}/testdata`, {
    token: nojd.apiToken, body: storedZip(files), headers: { 'Content-Type': 'application/zip' },
  });
  assert.equal(up2.status, 200, up2.text);
  await nojd.api('POST', '/submissions',
    { problem_id: checked.problem_id, language: 1, code: 'int main() { return 0; }' }, 201);
  return { pid, sid, runner };
}

async function browserPart(playwright, chromiumPath, nojd, { sid, runner }) {
  const problems = [];
  let allow401 = false;
  const browser = await playwright.chromium.launch({ executablePath: chromiumPath, headless: true });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(10000);
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      // The wrong-token step makes Chromium log the refused request itself.
      if (allow401 && /status of 401/.test(msg.text())) return;
      problems.push('console error: ' + msg.text());
    });
    page.on('pageerror', (err) => problems.push('page error: ' + err.message));
    page.on('requestfailed', (req) => problems.push('request failed: ' + req.url()));
    page.on('dialog', (d) => problems.push('unexpected dialog: ' + d.message()));

    const resp = await page.goto(nojd.base + '/ui');
    assert.equal(resp.status(), 200);
    await page.locator('#login').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#dashboard').isHidden(), true);

    // A wrong token is refused and the form comes back.
    allow401 = true;
    await page.fill('#token', 'wrong-token');
    await page.click('#login-form button[type=submit]');
    await page.locator('#banner', { hasText: 'refused' }).waitFor();
    await page.locator('#login').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    allow401 = false;

    await page.fill('#token', nojd.apiToken);
    await page.click('#login-form button[type=submit]');
    await page.locator('#dashboard').waitFor({ state: 'visible' });

    // The runner, with its name as text and its tier.
    const runnerRow = page.locator(`#runners tr[data-runner-id="${runner.id}"]`);
    await runnerRow.waitFor();
    assert.equal(await runnerRow.locator('.runner-name').textContent(), RUNNER_NAME);
    assert.equal(await runnerRow.locator('.tier').textContent(), 'full');
    assert.equal(await runnerRow.locator('.sandbox-line').textContent(), PROTECTIONS);
    assert.match(await runnerRow.textContent(), /alive/);
    // What it can judge: it declared nothing, so Normal-OJ's default.
    assert.equal(await runnerRow.locator('.capabilities').textContent(),
      'C, C++, Python 3 · no feature');
    // The job that needs a checker waits for a runner that can take it.
    const waiting = page.locator('#classes tr[data-class="1:1"]');
    await waiting.waitFor();
    assert.match(await waiting.textContent(), /C\+\+ \+ checker/);
    assert.equal(await waiting.locator('td.alert').textContent(), 'no runner');

    // Result callbacks: the judged submission's result went to a closed port until it died (max
    // age 1 s); the dead delivery is listed with a Redeliver button, which sends it again.
    const deadRow = page.locator('#callback-dead tbody tr').first();
    await deadRow.waitFor();
    await page.locator('#cb-dead', { hasText: '1' }).waitFor();
    assert.match(await page.locator('#callback-targets').textContent(), /127\.0\.0\.1:9\/hook/);
    const eventId = await deadRow.locator('button.redeliver').getAttribute('data-event-id');
    assert.match(eventId, /^msg_jb_/);
    const deadBefore = (await nojd.api('GET', '/callbacks?state=dead', undefined, 200)).deliveries;
    const createdBefore = deadBefore.find((d) => d.event_id === eventId).created_at;
    await deadRow.locator('button.redeliver').click();
    // Redelivered: a fresh max age (created_at moves on), whatever state it reached since.
    let redelivered = null;
    for (let i = 0; i < 200 && !redelivered; i++) {
      const v = await nojd.api('GET', '/callbacks', undefined, 200);
      redelivered = v.deliveries.find((d) => d.event_id === eventId &&
        d.created_at > createdBefore) || null;
      if (!redelivered) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(redelivered, 'the Redeliver button did not redeliver ' + eventId);

    // The judged submission with its verdict and score; the chart counted it.
    const subRow = page.locator(`#submissions tr[data-sid="${sid}"]`);
    await subRow.locator('.verdict', { hasText: 'WA' }).waitFor();
    assert.equal(await subRow.locator('.score').textContent(), '40');
    assert.ok(await page.locator('#chart-throughput rect.bar').count() >= 1);
    await page.locator('#throughput-now', { hasText: '1 in 5 min' }).waitFor();
    await page.locator('#chart-age polyline').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#q-p0').textContent(), '0');

    // Per-case table.
    await subRow.click();
    await page.locator('#detail').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#detail-sid').textContent(), sid);
    const cases = page.locator('#cases tr.case-row');
    await cases.nth(2).waitFor();
    assert.equal(await cases.count(), 3);
    assert.deepEqual(await page.locator('#cases tr.case-row .verdict').allTextContents(),
      ['AC', 'AC', 'WA']);
    assert.deepEqual(await page.locator('#cases tr.task-row .verdict').allTextContents(),
      ['AC', 'WA']);
    // Points, wall time and the checker's message of the case that has them, as text.
    const judgedCase = cases.nth(2);
    assert.match(await judgedCase.textContent(), /0\.25 pt/);
    assert.match(await judgedCase.textContent(), /wall 31 ms/);
    assert.equal(await page.locator('#cases tr.case-message pre').textContent(), HOSTILE_OUTPUT);
    assert.equal(await page.locator('#cases tr.case-message').count(), 1);

    // A case's output is shown as text.
    await page.click('#cases button.show-output[data-task="1"][data-case="1"]');
    await page.locator('#output-stderr', { hasText: 'expected 2' }).waitFor();
    assert.equal(await page.locator('#output-stdout').textContent(), HOSTILE_OUTPUT);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    if (process.env.NOJ_UI_SCREENSHOT) { // for a look at the page: a PNG path
      await page.screenshot({ path: process.env.NOJ_UI_SCREENSHOT, fullPage: true });
    }

    // Rejudge: back to pending, on the page and over HTTP, queued at priority 2.
    await page.click('#rejudge');
    await subRow.locator('.verdict', { hasText: 'Pending' }).waitFor();
    await page.locator('#detail-summary .verdict', { hasText: 'Pending' }).waitFor();
    const after = await nojd.api('GET', `/submissions/${sid}`, undefined, 200);
    assert.equal(after.status, -1);
    await page.locator('#q-p2', { hasText: '1' }).waitFor();
    // Its class (C++, no feature) has a runner able to take it.
    const plainCells = page.locator('#classes tr[data-class="1:0"] td');
    await plainCells.first().waitFor();
    const plain = await plainCells.allTextContents();
    assert.deepEqual([plain[0], plain[2], plain[4]], ['C++', '1', '1']);

    // The rejudged job lands again while the page watches: the chart counts it from GET /queue's
    // results_total (the first result was counted from the submission's judged_at).
    const again = await nojd.request('GET', `/runners/${runner.id}/next-job?wait=5`,
      { token: runner.token });
    assert.equal(again.status, 200, again.text);
    const relanded = await nojd.request('PUT',
      `/runners/${runner.id}/jobs/${again.json.job_id}/complete`, {
        token: runner.token,
        headers: { 'X-Job-Attempt': String(again.json.attempt) },
        body: { tasks: [[kase('AC', '0\n')], [kase('AC', '1\n'), kase('AC', '2\n')]] },
      });
    assert.equal(relanded.status, 204, relanded.text);
    await page.locator('#throughput-now', { hasText: '2 in 5 min' }).waitFor();
    await subRow.locator('.verdict', { hasText: 'AC' }).waitFor();

    // Revoke, confirmed in the dialog: the runner disappears and its token stops working.
    page.removeAllListeners('dialog');
    let confirmText = '';
    page.once('dialog', async (d) => {
      confirmText = d.message();
      await d.accept();
    });
    await runnerRow.locator('button.revoke').click();
    await runnerRow.waitFor({ state: 'detached' });
    assert.ok(confirmText.includes(runner.id), confirmText);
    await page.locator('#runners-empty').waitFor({ state: 'visible' });
    const runners = await nojd.api('GET', '/runners', undefined, 200);
    assert.deepEqual(runners, []);
    const revoked = await nojd.request('POST', `/runners/${runner.id}/heartbeat`,
      { token: runner.token, body: {} });
    assert.equal(revoked.status, 401);

    // Forget the token: the form is back and nothing is stored.
    await page.click('#forget');
    await page.locator('#login').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await page.locator('#dashboard').isHidden(), true);
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, [], 'the page logged errors');
}

async function main() {
  const nojdBinary = argValue('--nojd');
  if (!nojdBinary) {
    console.error('usage: node status_page_test.js --nojd PATH');
    process.exit(2);
  }
  const playwright = loadPlaywright();
  if (!playwright) {
    skip('playwright-core not found (run `npm ci` in test/ui, or set NOJ_PLAYWRIGHT_CORE)');
  }
  const chromiumPath = process.env.NOJ_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(chromiumPath)) {
    skip(`no browser at ${chromiumPath} (apt-get install chromium, or set NOJ_CHROMIUM)`);
  }

  const nojd = new Nojd(nojdBinary);
  const watchdog = setTimeout(() => {
    console.error(`FAIL: still running after ${DEADLINE_MS / 1000} s`);
    if (nojd.child) nojd.child.kill('SIGKILL');
    fs.rmSync(nojd.dir, { recursive: true, force: true });
    process.exit(1);
  }, DEADLINE_MS);
  const t0 = Date.now();
  try {
    await nojd.start();
    const judged = await setUpJudgedSubmission(nojd);
    await browserPart(playwright, chromiumPath, nojd, judged);
    console.log(`PASS: status page in Chromium (${Date.now() - t0} ms)`);
  } catch (e) {
    console.error('FAIL: ' + (e && e.stack ? e.stack : e));
    const log = nojd.log();
    if (log) console.error('--- nojd log ---\n' + log);
    process.exitCode = 1;
  } finally {
    await nojd.stop();
    clearTimeout(watchdog);
  }
}

main();
