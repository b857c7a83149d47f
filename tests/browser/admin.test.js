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
const SCREENSHOT = process.env.SCREENSHOT_PATH || path.join(REPO, 'docs', 'admin-page.png');
const EXAMPLE = path.join(REPO, 'tests', 'data', 'examples', 'order-select-alemtuzumab-alone.json');
const SUMMARY_PATH = 'rules.steroid-premedication.variants.missing.summary';
// Flags that keep Chromium off the network: without the background-networking ones its
// connections are refused by closed CI networks and it stalls.
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

// A loopback port the OS just handed out (cds_server cannot report a port it bound for 0).
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

// Starts cds_server and resolves once it says the admin API listens; rejects if it exits first.
function startServer(configPath, port, adminPort) {
  return new Promise((resolve, reject) => {
    const child = spawn(CDS_SERVER, ['--port', String(port), '--admin-port', String(adminPort),
                                     '--config', configPath,
                                     '--data-dir', path.join(workDir, 'data')], {
      env: {...process.env, STEROID_ADVISOR_ADMIN_TOKEN: token},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('cds_server admin listening on')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`cds_server exited (${code}): ${stderr}`)));
  });
}

async function adminApi(method, route, body) {
  const response = await fetch(`${adminUrl}${route}`, {
    method,
    headers: {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'},
    body,
  });
  return {status: response.status, text: await response.text()};
}

before(async () => {
  assert.ok(fs.existsSync(CDS_SERVER), `no cds_server at ${CDS_SERVER}: build first or set CDS_SERVER`);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steroid-admin-browser-'));
  const configPath = path.join(workDir, 'config.json');
  fs.copyFileSync(path.join(REPO, 'deploy', 'config', 'default.json'), configPath);
  let lastError;
  for (let attempt = 0; attempt < 5 && !server; attempt++) {
    const port = await freePort();
    const adminPort = await freePort();
    try {
      server = await startServer(configPath, port, adminPort);
      cdsUrl = `http://127.0.0.1:${port}`;
      adminUrl = `http://127.0.0.1:${adminPort}/admin/`;
    } catch (error) {
      lastError = error;  // most likely a port taken in between: try others
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
