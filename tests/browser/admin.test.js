// Browser test of the admin page against the real cds_server: sign in, change the premedication
// "missing" summary, see it in the live preview, save, and see the new summary in the card the
// CDS port answers; then an invalid threshold shows its inline error and changes nothing.
// Takes docs/admin-page.png for the README.
//
// Runs with `node --test tests/browser/` after the C++ build. Environment:
//   CDS_SERVER       the cds_server binary (default: <repo>/build/cds_server)
//   CHROMIUM_PATH    the browser (default: /usr/bin/chromium; never downloaded)
//   SCREENSHOT_PATH  where the screenshot goes (default: <repo>/docs/admin-page.png)
// The server runs on loopback ports the OS handed out, with a temporary config file and the
// admin token in its environment.
'use strict';

const {test, before, after} = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {REPO, startServer, stopServer, launchBrowser} = require('./support');

const SCREENSHOT = process.env.SCREENSHOT_PATH || path.join(REPO, 'docs', 'admin-page.png');
const EXAMPLE = path.join(REPO, 'tests', 'data', 'examples', 'order-select-alemtuzumab-alone.json');
const SUMMARY_PATH = 'rules.steroid-premedication.variants.missing.summary';

const token = crypto.randomBytes(24).toString('hex');
let workDir;
let server;
let cdsUrl;
let adminUrl;
let browser;

async function adminApi(method, route, body) {
  const response = await fetch(`${adminUrl}${route}`, {
    method,
    headers: {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'},
    body,
  });
  return {status: response.status, text: await response.text()};
}

before(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steroid-admin-browser-'));
  const configPath = path.join(workDir, 'config.json');
  fs.copyFileSync(path.join(REPO, 'deploy', 'config', 'default.json'), configPath);
  ({server, cdsUrl, adminUrl} = await startServer({workDir, token, configPath}));
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  await stopServer(server);
  if (workDir) fs.rmSync(workDir, {recursive: true, force: true});
});

test('admin page edits, previews and saves card text that the CDS service then uses', async () => {
  const page = await browser.newPage({viewport: {width: 1440, height: 1100}});
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.goto(adminUrl);
  await page.getByLabel('Admin token').fill(token);
  await page.getByLabel('Your name, for the audit trail').fill('Browser Test');
  await page.getByRole('button', {name: 'Sign in'}).click();
  await page.locator('#preview .card').first().waitFor();

  const summary = page.locator(`[data-path="${SUMMARY_PATH}"]`);
  await summary.fill('Browser test: premedicate before {{drug}}');
  const preview = page.locator('#preview [data-example="alemtuzumab-alone"]');
  await preview.getByText('Browser test: premedicate before alemtuzumab').waitFor();

  await page.getByRole('button', {name: 'Save changes'}).click();
  await page.locator('#save-status').getByText('Saved.').waitFor();
  await page.locator('#audit-body').getByRole('cell', {name: 'Browser Test', exact: true}).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({path: SCREENSHOT});

  const hook = await fetch(`${cdsUrl}/cds-services/steroid-advisor-order-select`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: fs.readFileSync(EXAMPLE),
  });
  assert.equal(hook.status, 200);
  const summaries = (await hook.json()).cards.map((card) => card.summary);
  assert.ok(summaries.some((s) => s.startsWith('Browser test: premedicate before alemtuzumab')),
            `cards: ${JSON.stringify(summaries)}`);
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test('an invalid threshold shows its error beside the field and changes nothing', async () => {
  const before = await adminApi('GET', 'config');
  assert.equal(before.status, 200);

  const page = await browser.newPage({viewport: {width: 1440, height: 1100}});
  await page.goto(adminUrl);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', {name: 'Sign in'}).click();
  await page.locator('#preview .card').first().waitFor();

  const days = page.locator('[data-path="thresholds.prolongedDays"]');
  await days.fill('0');
  const error = page.locator('[data-error-for="thresholds.prolongedDays"]');
  await error.waitFor({state: 'visible'});
  assert.ok((await error.textContent()).trim().length > 0);
  assert.equal(await days.getAttribute('aria-invalid'), 'true');

  await page.getByRole('button', {name: 'Save changes'}).click();
  await page.locator('#save-status').getByText('Not saved').waitFor();
  const after = await adminApi('GET', 'config');
  assert.equal(after.text, before.text);
  await page.close();
});

test('the admin API refuses a wrong token', async () => {
  const response = await fetch(`${adminUrl}config`, {headers: {Authorization: 'Bearer wrong'}});
  assert.equal(response.status, 401);
});
