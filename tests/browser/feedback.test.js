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
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {REPO, startServer, stopServer, launchBrowser} = require('./support');

const EXAMPLE = path.join(REPO, 'tests', 'data', 'examples', 'order-select-alemtuzumab-alone.json');
const SERVICE = 'steroid-advisor-order-select';

const token = crypto.randomBytes(24).toString('hex');
let workDir;
let server;
let cdsUrl;
let adminUrl;
let browser;

before(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steroid-feedback-browser-'));
  ({server, cdsUrl, adminUrl} = await startServer({workDir, token}));
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  await stopServer(server);
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
