'use strict';
// The CDS Hooks 2.0 client behaviours against the real cds_server and the FHIR test server:
// discovery, every service with prefetch / with fhirServer only / with a signed JWT, the
// malformed drafts real clients send, and feedback. Every answer is validated.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startCdsServer, startFhirServer, LOADED_MACHINE_FETCH } = require('../lib/processes');
const { CdsClient, validator } = require('../lib/cds_client');
const { ClientSigner, verify } = require('../lib/jwt');
const { HOOKS, draftOrder, contextFor, invalidContexts } = require('../lib/orders');

let cds;
let fhir;
let client;
let signer;
let jwtClient;

before(async () => {
  [fhir, cds] = await Promise.all([startFhirServer(), startCdsServer({ fhirOverrides: LOADED_MACHINE_FETCH })]);
  client = new CdsClient({ baseUrl: cds.baseUrl, fhirBase: fhir.fhirBase });
  signer = new ClientSigner();
  jwtClient = new CdsClient({ baseUrl: cds.baseUrl, fhirBase: fhir.fhirBase, signer });
  await client.discover();
  await jwtClient.discover();
  validator.warmUpFhir();
});

after(async () => {
  await Promise.all([cds && cds.stop(), fhir && fhir.stop()]);
});

function assertConformant(answer, label) {
  assert.deepEqual(answer.problems, [], `${label}: status ${answer.status}: ${answer.text.slice(0, 400)}`);
}

function cardsOf(answer) {
  return answer.json.cards.map((card) => ({ topic: card.source.topic.code, indicator: card.indicator, card }));
}

test('discovery lists the three services with valid prefetch templates', async () => {
  const answer = await client.discover();
  assertConformant(answer, 'discovery');
  const byId = Object.fromEntries(answer.json.services.map((s) => [s.id, s]));
  for (const { hook, serviceId } of HOOKS) {
    assert.ok(byId[serviceId], `discovery lists ${serviceId}`);
    assert.equal(byId[serviceId].hook, hook);
    assert.deepEqual(Object.keys(byId[serviceId].prefetch).sort(),
      ['medicationAdministrations', 'medicationRequests', 'medicationStatements']);
    for (const [key, template] of Object.entries(byId[serviceId].prefetch)) {
      // The patient's resources of one type, with the Medications they reference (issue 12).
      const type = template.split('?')[0];
      assert.equal(template,
        `${type}?patient={{context.patientId}}&_include=${type}:medication`, key);
    }
  }
});

test('discovery with a signed JWT is answered the same', async () => {
  const answer = await jwtClient.discover();
  assertConformant(answer, 'discovery with JWT');
  assert.equal(answer.json.services.length, 3);
});

test('the client signs tokens the way the sandbox does (ES384, raw r||s)', () => {
  const token = signer.sign(`${cds.baseUrl}/cds-services/steroid-advisor-order-select`);
  const [header, payload] = token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url')));
  assert.deepEqual(Object.keys(header).sort(), ['alg', 'jku', 'kid', 'typ']);
  assert.equal(header.alg, 'ES384');
  assert.deepEqual(Object.keys(payload).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
  assert.equal(Buffer.from(token.split('.')[2], 'base64url').length, 96);
  assert.ok(verify(token, signer.jwks));
});

for (const { hook, serviceId } of HOOKS) {
  const patientId = 'pat-alem-4mo';
  const drafts = () => [draftOrder('prednisone', patientId)];

  test(`${hook}: with prefetch filled from the discovery templates`, async () => {
    const answer = await client.call(serviceId, hook, contextFor(hook, patientId, drafts()), { mode: 'prefetch' });
    assertConformant(answer, `${hook} with prefetch`);
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.requestBody.prefetch).sort(),
      ['medicationAdministrations', 'medicationRequests', 'medicationStatements']);
    assert.ok(cardsOf(answer).some((c) => c.topic === 'prolonged-steroid' && c.indicator === 'critical'),
      `expected a critical prolonged-steroid card, got ${answer.text.slice(0, 300)}`);
  });

  test(`${hook}: without prefetch, with fhirServer and fhirAuthorization`, async () => {
    const answer = await client.call(serviceId, hook, contextFor(hook, patientId, drafts()), { mode: 'fhirServer' });
    assertConformant(answer, `${hook} with fhirServer`);
    assert.equal(answer.status, 200);
    assert.ok(cardsOf(answer).some((c) => c.topic === 'prolonged-steroid' && c.indicator === 'critical'),
      `expected a critical prolonged-steroid card, got ${answer.text.slice(0, 300)}`);
    assert.ok(!answer.text.includes(answer.requestBody.fhirAuthorization.access_token),
      'the access token must never come back');
  });

  test(`${hook}: without prefetch or fhirServer the record is missing: 412`, async () => {
    const answer = await client.call(serviceId, hook, contextFor(hook, patientId, drafts()), { mode: 'none' });
    assertConformant(answer, `${hook} with nothing`);
    assert.equal(answer.status, 412);
  });

  test(`${hook}: with an ES384 JWT in Authorization: Bearer`, async () => {
    const answer = await jwtClient.call(serviceId, hook, contextFor(hook, patientId, drafts()), { mode: 'prefetch' });
    assertConformant(answer, `${hook} with JWT`);
    assert.equal(answer.status, 200);
    assert.ok(!answer.text.includes(signer.kid), 'nothing of the token comes back');
  });

  test(`${hook}: malformed drafts get valid cards or a clear 4xx, never a 5xx`, async () => {
    for (const [name, context] of Object.entries(invalidContexts(hook, 'pat-no-alem'))) {
      for (const mode of ['prefetch', 'fhirServer']) {
        const answer = await client.call(serviceId, hook, context, { mode });
        assertConformant(answer, `${hook}, ${name}, ${mode}`);
        assert.ok(answer.status === 200 || (answer.status >= 400 && answer.status < 500),
          `${name}: status ${answer.status}`);
      }
    }
  });
}

test('malformed request bodies get a 4xx with a valid error body', async () => {
  const serviceId = 'steroid-advisor-order-sign';
  const context = contextFor('order-sign', 'pat-no-alem', [draftOrder('alemtuzumab', 'pat-no-alem')]);
  const bodies = {
    'not JSON': '{"hook": "order-sign",',
    'a JSON array': '[]',
    'hook of another service': { hookInstance: '0d1c3f5e-8d55-4a0e-9b7e-2f1b1e0c7a11', hook: 'order-select', context },
    'no hookInstance': { hook: 'order-sign', context },
    'no context.patientId': { hookInstance: '0d1c3f5e-8d55-4a0e-9b7e-2f1b1e0c7a12', hook: 'order-sign',
                              context: { ...context, patientId: undefined } },
    'draftOrders as an array': { hookInstance: '0d1c3f5e-8d55-4a0e-9b7e-2f1b1e0c7a13', hook: 'order-sign',
                                 context: { ...context, draftOrders: [] } },
  };
  for (const [name, rawBody] of Object.entries(bodies)) {
    const answer = await client.call(serviceId, 'order-sign', null, { rawBody });
    assertConformant(answer, name);
    assert.ok(answer.status >= 400 && answer.status < 500, `${name}: status ${answer.status}`);
  }
  const unknown = await client.call('no-such-service', 'order-sign', null,
    { rawBody: { hookInstance: '0d1c3f5e-8d55-4a0e-9b7e-2f1b1e0c7a14', hook: 'order-sign', context } });
  assertConformant(unknown, 'unknown service');
  assert.equal(unknown.status, 404);
});

test('feedback: accepted with acceptedSuggestions, and overridden with overrideReason', async () => {
  const serviceId = 'steroid-advisor-order-select';
  const context = contextFor('order-select', 'pat-no-alem', [draftOrder('alemtuzumab', 'pat-no-alem')]);
  const answer = await client.call(serviceId, 'order-select', context, { mode: 'prefetch' });
  assertConformant(answer, 'alemtuzumab order');
  const withSuggestion = answer.json.cards.find((card) => card.suggestions && card.suggestions.length > 0);
  assert.ok(withSuggestion, 'an alemtuzumab order without premedication gets a card with a suggestion');
  const other = answer.json.cards.find((card) => card !== withSuggestion) || withSuggestion;
  const now = new Date().toISOString();

  const accepted = { feedback: [{ card: withSuggestion.uuid, outcome: 'accepted',
    acceptedSuggestions: [{ id: withSuggestion.suggestions[0].uuid }], outcomeTimestamp: now }] };
  const reason = (other.overrideReasons && other.overrideReasons[0]) ||
    { system: 'https://steroid-advisor.org/fhir/CodeSystem/override-reason', code: 'patient-declined', display: 'Patient declined' };
  const overridden = { feedback: [{ card: other.uuid, outcome: 'overridden',
    overrideReason: { reason, userComment: 'premedication given at the infusion centre' }, outcomeTimestamp: now }] };

  for (const [name, body] of [['accepted', accepted], ['overridden', overridden]]) {
    assert.deepEqual(validator.validateFeedback(body), [], `the ${name} feedback we send is valid`);
    const sent = await client.feedback(serviceId, body);
    assert.deepEqual(sent.problems, [], `${name}: ${sent.text}`);
    assert.equal(sent.status, 200, `${name} feedback: ${sent.text}`);
  }

  const bad = await client.feedback(serviceId, { feedback: [{ card: withSuggestion.uuid, outcome: 'maybe' }] });
  assertConformant(bad, 'invalid feedback');
  assert.equal(bad.status, 400);
});
