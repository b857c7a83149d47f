'use strict';
// cds_server with --log-format json, as a log shipper reads it: every line on stderr is one JSON
// object with time, level and msg, not only the request lines. The run goes through what an
// operator would see: the feedback store coming up, a hook call with prefetch, one whose FHIR
// server refuses connections (record keys unavailable), a config file rewritten with an error
// (its problems stay in one record), and SIGTERM.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { REPO_ROOT, freePort } = require('../lib/processes');
const { httpJson } = require('../lib/cds_client');
const { draftOrder, contextFor } = require('../lib/orders');

const SERVICE = 'steroid-advisor-order-select';

function binary() {
  return process.env.CDS_SERVER || path.join(REPO_ROOT, 'build', 'cds_server');
}

function emptySearchset() {
  return { resourceType: 'Bundle', type: 'searchset', total: 0 };
}

function call(patientId, extra) {
  return {
    hookInstance: crypto.randomUUID(),
    hook: 'order-select',
    context: contextFor('order-select', patientId, [draftOrder('alemtuzumab', patientId)]),
    ...extra,
  };
}

// Resolves once `text` has appeared in what `read()` returns, or after `ms` (then the asserts
// below say what is missing).
async function waitFor(read, text, ms = 10000) {
  const until = Date.now() + ms;
  while (!read().includes(text) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('with --log-format json every stderr line is one JSON object, events included', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-json-log-'));
  const configPath = path.join(dir, 'config.json');
  const config = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'deploy', 'config', 'default.json'), 'utf8'));
  fs.writeFileSync(configPath, JSON.stringify(config));
  const port = await freePort();
  const child = spawn(binary(), ['--port', String(port), '--host', '127.0.0.1', '--config', configPath,
    '--data-dir', path.join(dir, 'data'), '--log-format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { if (stderr.length < 1e6) stderr += chunk; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitFor(() => stdout, 'listening on');
    assert.match(stdout, /listening on/, stderr);
    const base = `http://127.0.0.1:${port}/cds-services/${SERVICE}`;

    const prefetched = await httpJson('POST', base, { body: call('pat-json-log', {
      prefetch: { medicationRequests: emptySearchset(), medicationAdministrations: emptySearchset(),
                  medicationStatements: emptySearchset() } }) });
    assert.equal(prefetched.status, 200);

    // A FHIR server on a loopback port nobody listens on: every record key is unavailable.
    const closedPort = await freePort();
    const unreachable = await httpJson('POST', base, {
      body: call('pat-json-log', { fhirServer: `http://127.0.0.1:${closedPort}/fhir` }) });
    assert.ok([200, 412].includes(unreachable.status), `status ${unreachable.status}`);
    await waitFor(() => stderr, '"component":"fhir_fetch"');

    // The watcher polls every second: an invalid config is rejected, the old one keeps serving.
    config.fhir.totalTimeoutMs = -1;
    config.feedback.retentionDays = 'forever';
    fs.writeFileSync(configPath, JSON.stringify(config));
    await waitFor(() => stderr, 'rejected');

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const lines = stderr.split('\n').filter((line) => line !== '');
  const records = lines.map((line) => {
    let record;
    assert.doesNotThrow(() => { record = JSON.parse(line); }, `not JSON: ${line}`);
    assert.equal(typeof record, 'object', line);
    assert.match(record.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, line);
    assert.ok(['info', 'warning', 'error'].includes(record.level), line);
    assert.equal(typeof record.msg, 'string', line);
    return record;
  });
  const find = (component, pattern) =>
    records.find((r) => r.component === component && pattern.test(r.msg));

  assert.ok(find('feedback', /^store ready$/), `no feedback event in\n${stderr}`);
  assert.ok(records.some((r) => r.msg === 'request' && r.status === 200), 'no request line');
  const unavailable = find('fhir_fetch', /^key=\S+ unavailable: /);
  assert.ok(unavailable, `no fhir_fetch event in\n${stderr}`);
  assert.equal(unavailable.level, 'warning');
  const rejected = find('config', /rejected, the running config keeps serving:/);
  assert.ok(rejected, `no config event in\n${stderr}`);
  assert.equal(rejected.level, 'error');
  // Both problems in the one record, one per line of its message.
  assert.match(rejected.msg, /\n {2}fhir\.totalTimeoutMs: /);
  assert.match(rejected.msg, /\n {2}feedback\.retentionDays: /);
  const stopping = find('cds_server', /^stopping$/);
  assert.ok(stopping, `no stop event in\n${stderr}`);
  assert.equal(stopping.level, 'info');
});
