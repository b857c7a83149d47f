'use strict';
const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const v = require('../validate');

const FIXTURES = path.join(__dirname, 'fixtures');
const fixture = (name) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
const CLI = path.join(__dirname, '..', 'cli.js');

const CARD0 = '$.cards[0]';
const CREATE = `${CARD0}.suggestions[0].actions[0]`;
const UPDATE = `${CARD0}.suggestions[1].actions[0]`;

/** Assert that some problem starts with `path` and contains `fragment`. */
function assertProblem(problems, pathPrefix, fragment) {
  const hit = problems.find((p) => p.startsWith(`${pathPrefix}:`) && (!fragment || p.includes(fragment)));
  assert.ok(
    hit,
    `expected a problem at ${pathPrefix}${fragment ? ` mentioning "${fragment}"` : ''}, got:\n  ${problems.join('\n  ') || '(none)'}`,
  );
}

function mutated(name, mutate) {
  const body = fixture(name);
  mutate(body);
  return body;
}

let warmUpMs = 0;
before(() => {
  // Compile the FHIR R4 MedicationRequest validator once; every test reuses it.
  warmUpMs = v.warmUpFhir(['MedicationRequest']);
});

test('FHIR R4 schema is compiled once and reused', (t) => {
  const times = v.fhirCompileTimes();
  t.diagnostic(`FHIR R4 schema load+compile (MedicationRequest): ${warmUpMs.toFixed(0)} ms ${JSON.stringify(times)}`);
  v.validateCdsResponse(fixture('cds-response.valid.json'));
  v.validateCdsResponse(fixture('cds-response.valid.json'));
  assert.deepEqual(v.fhirCompileTimes(), times, 'validating again must not recompile');
});

// ---------------------------------------------------------------------------
// Valid bodies.
// ---------------------------------------------------------------------------
test('valid discovery passes', () => {
  assert.deepEqual(v.validateDiscovery(fixture('discovery.valid.json')), []);
});

test('discovery with no services (services: []) passes', () => {
  assert.deepEqual(v.validateDiscovery({ services: [] }), []);
});

test('valid card response with create + update MedicationRequest suggestions passes', () => {
  assert.deepEqual(v.validateCdsResponse(fixture('cds-response.valid.json')), []);
});

test('empty cards array (no guidance) passes', () => {
  assert.deepEqual(v.validateCdsResponse({ cards: [] }), []);
});

test('delete action with resourceId passes', () => {
  const body = mutated('cds-response.valid.json', (b) => {
    b.cards[0].suggestions[1].actions = [
      { type: 'delete', description: 'Remove the duplicate order', resourceId: 'MedicationRequest/draft-order-17' },
    ];
  });
  assert.deepEqual(v.validateCdsResponse(body), []);
});

test('systemActions without description pass', () => {
  const body = fixture('cds-response.valid.json');
  body.systemActions = [{ type: 'update', resource: body.cards[0].suggestions[1].actions[0].resource }];
  assert.deepEqual(v.validateCdsResponse(body), []);
});

test('valid feedback passes', () => {
  assert.deepEqual(v.validateFeedback(fixture('feedback.valid.json')), []);
});

test('valid error body passes', () => {
  assert.deepEqual(v.validateError(fixture('error.valid.json')), []);
});

// ---------------------------------------------------------------------------
// CDS response failures.
// ---------------------------------------------------------------------------
test('summary of 141 characters fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].summary = 'x'.repeat(141); });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.summary`, 'more than 140 characters');
});

test('summary of exactly 140 characters passes', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].summary = 'x'.repeat(140); });
  assert.deepEqual(v.validateCdsResponse(body), []);
});

test('bad indicator fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].indicator = 'severe'; });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.indicator`, '"info", "warning", "critical"');
});

test('missing source.label fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { delete b.cards[0].source.label; });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.source.label`, 'required');
});

test('missing source fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { delete b.cards[0].source; });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.source`, 'required');
});

test('suggestions without selectionBehavior fail', () => {
  const body = mutated('cds-response.valid.json', (b) => { delete b.cards[0].selectionBehavior; });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.selectionBehavior`, 'required when "suggestions" is present');
});

test('unknown selectionBehavior fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].selectionBehavior = 'all'; });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.selectionBehavior`, '"at-most-one", "any"');
});

test('action type "replace" fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].suggestions[0].actions[0].type = 'replace'; });
  assertProblem(v.validateCdsResponse(body), `${CREATE}.type`, '"create", "update", "delete"');
});

test('create action without resource fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { delete b.cards[0].suggestions[0].actions[0].resource; });
  assertProblem(v.validateCdsResponse(body), `${CREATE}.resource`, 'required');
});

test('suggestion action without description fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { delete b.cards[0].suggestions[0].actions[0].description; });
  assertProblem(v.validateCdsResponse(body), `${CREATE}.description`, 'required');
});

test('update action whose resource has no id fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { delete b.cards[0].suggestions[1].actions[0].resource.id; });
  assertProblem(v.validateCdsResponse(body), `${UPDATE}.resource.id`, 'required');
});

test('MedicationRequest with status "foo" fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].suggestions[0].actions[0].resource.status = 'foo'; });
  assertProblem(v.validateCdsResponse(body), `${CREATE}.resource.status`, '"draft"');
});

test('MedicationRequest missing intent fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { delete b.cards[0].suggestions[1].actions[0].resource.intent; });
  assertProblem(v.validateCdsResponse(body), `${UPDATE}.resource.intent`, 'required');
});

test('MedicationRequest with a property unknown to FHIR R4 fails (official FHIR schema)', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].suggestions[0].actions[0].resource.dosage = [{ text: 'x' }]; });
  assertProblem(v.validateCdsResponse(body), `${CREATE}.resource.dosage`, 'FHIR R4 schema');
});

test('MedicationRequest with a bad periodUnit fails (official FHIR schema)', () => {
  const body = mutated('cds-response.valid.json', (b) => {
    b.cards[0].suggestions[0].actions[0].resource.dosageInstruction[0].timing.repeat.periodUnit = 'day';
  });
  assertProblem(v.validateCdsResponse(body), `${CREATE}.resource.dosageInstruction[0].timing.repeat.periodUnit`, '"d"');
});

test('unknown FHIR resourceType fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].suggestions[0].actions[0].resource.resourceType = 'MedRequest'; });
  assertProblem(v.validateCdsResponse(body), `${CREATE}.resource.resourceType`, 'not a FHIR R4 resource type');
});

test('a null value fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].detail = null; });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.detail`, 'null is not allowed');
});

test('a null value deep inside a FHIR resource fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].suggestions[0].actions[0].resource.authoredOn = null; });
  assertProblem(v.validateCdsResponse(body), `${CREATE}.resource.authoredOn`, 'null is not allowed');
});

test('an empty array inside a card fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].overrideReasons = []; });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.overrideReasons`, 'empty array is not allowed');
});

test('an empty string and an empty object fail', () => {
  const body = mutated('cds-response.valid.json', (b) => {
    b.cards[0].source.label = '';
    b.cards[0].suggestions[0].actions[0].resource.subject = {};
  });
  const problems = v.validateCdsResponse(body);
  assertProblem(problems, `${CARD0}.source.label`, 'empty string is not allowed');
  assertProblem(problems, `${CREATE}.resource.subject`, 'empty object is not allowed');
});

test('an unknown card property fails', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].sumary = 'typo'; });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.sumary`, 'unknown property');
});

test('overrideReasons without display fail', () => {
  const body = mutated('cds-response.valid.json', (b) => { delete b.cards[0].overrideReasons[0].display; });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.overrideReasons[0].display`, 'required');
});

test('bad link type and appContext on an absolute link fail', () => {
  const body = mutated('cds-response.valid.json', (b) => {
    b.cards[0].links.push({ label: 'App', url: 'https://example.org/launch', type: 'relative' });
    b.cards[0].links[0].appContext = 'abc';
  });
  const problems = v.validateCdsResponse(body);
  assertProblem(problems, `${CARD0}.links[1].type`, '"absolute", "smart"');
  assertProblem(problems, `${CARD0}.links[0].appContext`, 'only valid for links of type smart');
});

test('two recommended suggestions with at-most-one fail', () => {
  const body = mutated('cds-response.valid.json', (b) => { b.cards[0].suggestions[1].isRecommended = true; });
  assertProblem(v.validateCdsResponse(body), `${CARD0}.suggestions`, 'at-most-one');
});

test('missing cards fails', () => {
  assertProblem(v.validateCdsResponse({}), '$.cards', 'required');
});

// ---------------------------------------------------------------------------
// Discovery, feedback, error failures.
// ---------------------------------------------------------------------------
test('discovery service without description fails, unknown member fails', () => {
  const body = mutated('discovery.valid.json', (b) => {
    delete b.services[1].description;
    b.services[0].version = '2.0';
  });
  const problems = v.validateDiscovery(body);
  assertProblem(problems, '$.services[1].description', 'required');
  assertProblem(problems, '$.services[0].version', 'unknown property');
});

test('discovery prefetch must be strings', () => {
  const body = mutated('discovery.valid.json', (b) => { b.services[0].prefetch.patient = { q: 'Patient/1' }; });
  assertProblem(v.validateDiscovery(body), '$.services[0].prefetch.patient', 'must be string');
});

test('feedback: accepted without acceptedSuggestions and bad outcome fail', () => {
  const body = mutated('feedback.valid.json', (b) => {
    delete b.feedback[0].acceptedSuggestions;
    b.feedback[1].outcome = 'ignored';
  });
  const problems = v.validateFeedback(body);
  assertProblem(problems, '$.feedback[0].acceptedSuggestions', 'required');
  assertProblem(problems, '$.feedback[1].outcome', '"accepted", "overridden"');
});

test('error body: unknown code, extra member and missing message fail', () => {
  const problems = v.validateError({ error: { code: 'bad_request', detail: 'x' }, status: 400 });
  assertProblem(problems, '$.error.code', '"invalid_argument"');
  assertProblem(problems, '$.error.detail', 'unknown property');
  assertProblem(problems, '$.error.message', 'required');
  assertProblem(problems, '$.status', 'unknown property');
});

// ---------------------------------------------------------------------------
// CLI.
// ---------------------------------------------------------------------------
function runCli(args, input) {
  return spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8' });
}

test('cli: <kind> file and stdin', () => {
  const ok = runCli(['discovery', path.join(FIXTURES, 'discovery.valid.json')]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const bad = runCli(['error'], JSON.stringify({ error: { code: 'internal' } }));
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /<stdin>: \$\.error\.message: required property is missing/);
  const usage = runCli(['nonsense']);
  assert.equal(usage.status, 2);
});

test('cli: dir mode prints "N passed, N failed" last', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-conformance-'));
  try {
    const write = (name, obj) => fs.writeFileSync(path.join(dir, name), JSON.stringify(obj));
    write('01-discovery.json', { kind: 'discovery', body: fixture('discovery.valid.json') });
    write('02-response.json', { kind: 'cds-response', body: fixture('cds-response.valid.json') });
    write('03-error.json', { kind: 'error', body: { error: { code: 'internal', message: 'boom' } } });
    write('04-bad-error.json', { kind: 'error', body: { error: { code: 'internal', message: null } } });
    write('05-bad-kind.json', { kind: 'weird', body: {} });
    fs.writeFileSync(path.join(dir, '06-not-json.json'), '{');
    fs.writeFileSync(path.join(dir, 'ignored.txt'), 'not json');
    const res = runCli(['dir', dir]);
    assert.equal(res.status, 1, res.stdout + res.stderr);
    const lines = res.stdout.trim().split('\n');
    assert.equal(lines[lines.length - 1], '3 passed, 3 failed');
    assert.match(res.stdout, /FAIL 04-bad-error\.json/);
    assert.match(res.stdout, /\$\.error\.message: null is not allowed/);

    for (const n of ['04-bad-error.json', '05-bad-kind.json', '06-not-json.json']) fs.unlinkSync(path.join(dir, n));
    const ok = runCli(['dir', dir]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(ok.stdout.trim().split('\n').pop(), '3 passed, 0 failed');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: empty directory fails (nothing was checked)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-conformance-empty-'));
  try {
    const res = runCli(['dir', dir]);
    assert.equal(res.status, 1);
    assert.equal(res.stdout.trim().split('\n').pop(), '0 passed, 0 failed');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
