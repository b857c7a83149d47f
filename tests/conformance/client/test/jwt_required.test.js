'use strict';
// cds_server configured to require a client JWT (config `auth`: requireJwt + trustedIssuers with
// this client's JWK Set): signed calls are served, anything else is a 401 with a valid error
// body.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const { startCdsServer } = require('../lib/processes');
const { httpJson, responseProblems, validator } = require('../lib/cds_client');
const { ClientSigner } = require('../lib/jwt');
const { draftOrder, contextFor } = require('../lib/orders');

const SERVICE = 'steroid-advisor-order-select';
let cds;
let signer;

before(async () => {
  signer = new ClientSigner();
  const auth = { requireJwt: true, trustedIssuers: [{ iss: signer.iss, jwks: signer.jwks }] };
  cds = await startCdsServer({ sections: { auth } });
  validator.warmUpFhir();
});

after(async () => {
  await (cds && cds.stop());
});

function emptySearchset() {
  return { resourceType: 'Bundle', type: 'searchset', total: 0 };
}

function body() {
  return {
    hookInstance: crypto.randomUUID(),
    hook: 'order-select',
    context: contextFor('order-select', 'pat-jwt', [draftOrder('alemtuzumab', 'pat-jwt')]),
    prefetch: { medicationRequests: emptySearchset(), medicationAdministrations: emptySearchset(),
                medicationStatements: emptySearchset() },
  };
}

const url = () => `${cds.baseUrl}/cds-services/${SERVICE}`;

test('a signed call is served', async () => {
  const discovery = await httpJson('GET', `${cds.baseUrl}/cds-services`, { token: signer.sign(`${cds.baseUrl}/cds-services`) });
  assert.equal(discovery.status, 200, discovery.text);
  assert.deepEqual(validator.validateDiscovery(discovery.json), []);
  const answer = await httpJson('POST', url(), { body: body(), token: signer.sign(url()) });
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(responseProblems('cds-response', answer), []);
});

test('calls without a valid JWT get 401 with a valid error body', async () => {
  const stranger = new ClientSigner({ kid: signer.kid });  // same iss and kid, another key
  const cases = {
    'no Authorization header': undefined,
    'a token for another service': signer.sign(`${cds.baseUrl}/cds-services/steroid-advisor-order-sign`),
    'a token signed by another key': stranger.sign(url()),
    'an expired token': signer.sign(url(), { now: Math.floor(Date.now() / 1000) - 3600 }),
    'not a JWT at all': 'not-a-jwt',
  };
  for (const [name, token] of Object.entries(cases)) {
    const answer = await httpJson('POST', url(), { body: body(), token });
    assert.equal(answer.status, 401, `${name}: ${answer.text}`);
    assert.deepEqual(responseProblems('error', answer), [], name);
    if (token) assert.ok(!answer.text.includes(token), `${name}: the token never comes back`);
  }
});
