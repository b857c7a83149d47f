'use strict';
// The request shapes of the CDS Hooks sandbox that the other suites do not send (issue #13), each
// against the real cds_server and the FHIR test server:
//   - its prednisone order verbatim: doses in {pill}, MedicationRequest.category as an object,
//     no fhirServer, a draftOrders Bundle without type;
//   - fhirServer without fhirAuthorization and without prefetch (an open FHIR server);
//   - prefetch on every call, also when no rule needs the record: the service must not fetch;
//   - prefetch filled with POST [type]/_search, the searchsets passed on as the server sent them.
// Every answer is validated.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT, startCdsServer, startFhirServer, LOADED_MACHINE_FETCH } = require('../lib/processes');
const { CdsClient, fillTemplate, httpJson, validator } = require('../lib/cds_client');
const { draftOrder, contextFor } = require('../lib/orders');
const { withoutKnownIssues } = require('../lib/known_issues');

const SERVICE = 'steroid-advisor-order-select';
const SANDBOX_CASE = path.join(REPO_ROOT, 'tests', 'data', 'cases', 'prolonged_steroid',
  'sandbox_verbatim_prednisone_20mg_tablets_2_daily_6_weeks_critical.json');

let cds;
let fhir;
let client;

before(async () => {
  [fhir, cds] = await Promise.all([startFhirServer(), startCdsServer({ fhirOverrides: LOADED_MACHINE_FETCH })]);
  client = new CdsClient({ baseUrl: cds.baseUrl, fhirBase: fhir.fhirBase });
  await client.discover();
  validator.warmUpFhir();
});

after(async () => {
  await Promise.all([cds && cds.stop(), fhir && fhir.stop()]);
});

// The sandbox's order-select request (patient pat-alem-4mo, whose record the FHIR test server holds).
function sandboxRequest() {
  const request = JSON.parse(fs.readFileSync(SANDBOX_CASE, 'utf8')).request;
  request.hookInstance = crypto.randomUUID();
  return request;
}

// Conformant apart from the known issues of ../lib/known_issues.js (see the todo test below).
function assertConformant(answer, label) {
  const { problems } = withoutKnownIssues(answer.problems);
  assert.deepEqual(problems, [], `${label}: status ${answer.status}: ${answer.text.slice(0, 400)}`);
  assert.equal(answer.status, 200, `${label}: ${answer.text.slice(0, 400)}`);
}

function assertCriticalProlongedSteroid(answer, label) {
  const cards = answer.json.cards.map((card) => [card.source.topic.code, card.indicator]);
  assert.deepEqual(cards, [['prolonged-steroid', 'critical']], `${label}: ${answer.text.slice(0, 400)}`);
  // 2 {pill} of "Prednisone 20 MG Oral Tablet": 40 mg, read from the strength in the name.
  assert.match(answer.json.cards[0].detail, /\b40 mg\b/, label);
}

async function fhirRequestLog() {
  await httpJson('POST', `${fhir.controlUrl}/clear-log`, { body: {} });
  return async () => (await httpJson('GET', `${fhir.controlUrl}/requests`)).json;
}

test('the sandbox prednisone request, verbatim, gets the critical prolonged-steroid card', async () => {
  const request = sandboxRequest();
  assert.equal(request.fhirServer, undefined, 'the sandbox sent no fhirServer');
  assert.ok(!Array.isArray(request.context.draftOrders.entry[0].resource.category), 'category is an object');
  const answer = await client.call(SERVICE, 'order-select', null, { rawBody: request });
  assertConformant(answer, 'sandbox verbatim');
  assertCriticalProlongedSteroid(answer, 'sandbox verbatim');
});

test('fhirServer without fhirAuthorization and no prefetch: the record is read without a token', async () => {
  const request = sandboxRequest();
  delete request.prefetch;
  request.fhirServer = fhir.fhirBase;
  const requests = await fhirRequestLog();
  const answer = await client.call(SERVICE, 'order-select', null, { rawBody: request });
  assertConformant(answer, 'fhirServer without fhirAuthorization');
  assertCriticalProlongedSteroid(answer, 'fhirServer without fhirAuthorization');
  const log = await requests();
  assert.ok(log.length > 0, 'the service read the record from fhirServer');
  assert.deepEqual(log.filter((entry) => entry.authorization !== 'absent'), [],
    'without fhirAuthorization no Authorization header is sent');
});

test('prefetch on every call: with the record prefetched the service never calls fhirServer', async () => {
  const patientId = 'pat-alem-4mo';
  const metformin = draftOrder('prednisone', patientId, {
    id: 'draft-metformin',
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '6809',
                                            display: 'metformin' }], text: 'metformin 500 MG Oral Tablet' },
  });
  const steroid = sandboxRequest();
  steroid.fhirServer = fhir.fhirBase;
  const calls = {
    'an order no rule needs the record for': {
      hookInstance: crypto.randomUUID(), hook: 'order-select', fhirServer: fhir.fhirBase,
      context: contextFor('order-select', patientId, [metformin]),
      prefetch: await client.prefetchFor(SERVICE, { patientId }),
    },
    'the sandbox prednisone order with fhirServer': steroid,
  };
  for (const [name, body] of Object.entries(calls)) {
    const requests = await fhirRequestLog();
    const answer = await client.call(SERVICE, 'order-select', null, { rawBody: body });
    assertConformant(answer, name);
    if (name.startsWith('the sandbox')) assertCriticalProlongedSteroid(answer, name);
    else assert.deepEqual(answer.json.cards, [], `${name}: ${answer.text.slice(0, 300)}`);
    assert.deepEqual(await requests(), [], `${name}: every key was prefetched, nothing to fetch`);
  }
});

test('prefetch filled with POST [type]/_search is read like a GET search', async () => {
  const request = sandboxRequest();
  const prefetch = {};
  for (const [key, template] of Object.entries(client.service(SERVICE).prefetch)) {
    const [type, query] = fillTemplate(template, request.context).split('?');
    // httpJson sends JSON; a FHIR _search body is a form.
    const response = await fetch(`${fhir.fhirBase}/${type}/_search`, {
      method: 'POST', body: query,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/fhir+json' },
    });
    const text = await response.text();
    assert.equal(response.status, 200, `${key}: ${text.slice(0, 200)}`);
    const bundle = JSON.parse(text);
    assert.equal(bundle.type, 'searchset', key);
    prefetch[key] = bundle;  // as the server sent it: links, fullUrls, search.mode
  }
  request.prefetch = prefetch;
  const answer = await client.call(SERVICE, 'order-select', null, { rawBody: request });
  assertConformant(answer, 'POST _search prefetch');
  assertCriticalProlongedSteroid(answer, 'POST _search prefetch');
});

test('the shorten-course update keeps the draft valid FHIR when the sandbox sent category as an object', async () => {
  const answer = await client.call(SERVICE, 'order-select', null, { rawBody: sandboxRequest() });
  assert.deepEqual(answer.problems, [], answer.text.slice(0, 400));
});
