// Browser test of clinician feedback on the admin page against the real cds_server: a hook call
// returns cards, feedback on them is posted through the real feedback endpoint (one accepted,
// one overridden with a reason), and the page shows, beside each rule, the counts and the
// weekly accepted/overridden chart drawn from GET /admin/feedback/summary.
//
// Runs with `node --test tests/browser/` after the C++ build (environment as admin.test.js:
// CDS_SERVER, CHROMIUM_PATH). The server runs on loopback ports the OS handed out, with its
// feedback store (SQLite) in a temporary --data-dir.
'use strict';

const {test, before, after} = require('node:test');
const assert = require('node:assert/strict');
const {spawn} = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const {chromium} = require('playwright-core');

const REPO = path.resolve(__dirname, '..', '..');
const CDS_SERVER = process.env.CDS_SERVER || path.join(REPO, 'build', 'cds_server');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const EXAMPLE = path.join(REPO, 'tests', 'data', 'examples', 'order-select-alemtuzumab-alone.json');
const SERVICE = 'steroid-advisor-order-select';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const token = crypto.randomBytes(24).toString('hex');
let workDir;
let server;
let cdsUrl;
let adminUrl;
let browser;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Resolves once the admin API listens and the feedback store is ready.
function startServer(port, adminPort) {
  return new Promise((resolve, reject) => {
    const child = spawn(CDS_SERVER, ['--port', String(port), '--admin-port', String(adminPort),
                                     '--data-dir', path.join(workDir, 'data')], {
      env: {...process.env, STEROID_ADVISOR_ADMIN_TOKEN: token},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const check = () => {
      if (stdout.includes('cds_server admin listening on') &&
          stderr.includes('feedback: store ready')) resolve(child);
    };
    child.stdout.on('data', (chunk) => { stdout += chunk; check(); });
    child.stderr.on('data', (chunk) => { stderr += chunk; check(); });
    child.once('exit', (code) => reject(new Error(`cds_server exited (${code}): ${stderr}`)));
  });
}

before(async () => {
  assert.ok(fs.existsSync(CDS_SERVER), `no cds_server at ${CDS_SERVER}: build first or set CDS_SERVER`);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steroid-feedback-browser-'));
  let lastError;
  for (let attempt = 0; attempt < 5 && !server; attempt++) {
    const port = await freePort();
    const adminPort = await freePort();
    try {
      server = await startServer(port, adminPort);
      cdsUrl = `http://127.0.0.1:${port}`;
      adminUrl = `http://127.0.0.1:${adminPort}/admin/`;
    } catch (error) {
      lastError = error;
    }
  }
  assert.ok(server, `cds_server did not start: ${lastError}`);
  browser = await chromium.launch({executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS});
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (workDir) fs.rmSync(workDir, {recursive: true, force: true});
});

test('feedback posted to the CDS service shows as counts and a weekly chart per rule', async () => {
  const hook = await fetch(`${cdsUrl}/cds-services/${SERVICE}`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: fs.readFileSync(EXAMPLE),
  });
  assert.equal(hook.status, 200);
  const cards = (await hook.json()).cards;
  const premedication = cards.find((card) => card.source.topic.code === 'steroid-premedication');
  const antiviral = cards.find((card) => card.source.topic.code === 'antiviral-prophylaxis');
  assert.ok(premedication && antiviral, `cards: ${JSON.stringify(cards.map((c) => c.source))}`);

  const now = new Date().toISOString();
  const feedback = await fetch(`${cdsUrl}/cds-services/${SERVICE}/feedback`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({feedback: [
      {card: antiviral.uuid, outcome: 'accepted', outcomeTimestamp: now,
       acceptedSuggestions: [{id: antiviral.suggestions[0].uuid}]},
      {card: premedication.uuid, outcome: 'overridden', outcomeTimestamp: now,
       overrideReason: {reason: {code: 'given-elsewhere',
                                 display: 'Premedication ordered or given outside this EHR'}}},
    ]}),
  });
  assert.equal(feedback.status, 200);

  const page = await browser.newPage({viewport: {width: 1440, height: 1100}});
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(adminUrl);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', {name: 'Sign in'}).click();

  const overridden = page.locator('#feedback-steroid-premedication');
  await overridden.locator('svg.feedback-chart').waitFor();
  assert.match(await overridden.locator('.feedback-counts').textContent(),
               /shown 1 · accepted 0 · overridden 1 \(100% overridden\)/);
  const overriddenBar = overridden.locator('rect.bar-overridden');
  assert.equal(await overriddenBar.getAttribute('data-count'), '1');
  assert.ok(Number(await overriddenBar.getAttribute('height')) > 0);
  assert.equal(await overridden.locator('rect.bar-accepted').getAttribute('data-count'), '0');
  await overridden.getByText('Premedication ordered or given outside this EHR: 1').waitFor();

  const accepted = page.locator('#feedback-antiviral-prophylaxis');
  await accepted.locator('svg.feedback-chart').waitFor();
  assert.match(await accepted.locator('.feedback-counts').textContent(),
               /shown 1 · accepted 1 · overridden 0/);
  assert.equal(await accepted.locator('rect.bar-accepted').getAttribute('data-count'), '1');

  // A rule without cards has no chart.
  await page.locator('#feedback-relapse-steroid-course').getByText('No feedback yet.').waitFor();
  assert.deepEqual(pageErrors, []);
  await page.close();
});
