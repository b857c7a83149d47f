'use strict';
// Clinical scenarios over the FHIR test server's patients: every hook is called WITHOUT
// prefetch (fhirServer + fhirAuthorization), so cds_server reads the record itself, paging
// included (pat-many's alemtuzumab is on page 3). Cards are checked by topic and indicator.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startCdsServer, startFhirServer, LOADED_MACHINE_FETCH } = require('../lib/processes');
const { CdsClient, validator } = require('../lib/cds_client');
const { HOOKS, draftOrder, contextFor } = require('../lib/orders');

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

const has = (topic, indicator) => (cards) => cards.some((c) => c.topic === topic && (!indicator || c.indicator === indicator));
const lacks = (topic) => (cards) => !cards.some((c) => c.topic === topic);
const none = (cards) => cards.length === 0;

const SCENARIOS = [
  { patient: 'pat-alem-4mo', drug: 'prednisone', why: 'alemtuzumab 4 months ago + prednisone 40 mg x42 days',
    expect: [['critical prolonged-steroid', has('prolonged-steroid', 'critical')]] },
  { patient: 'pat-alem-2y', drug: 'prednisone', why: 'alemtuzumab 2 years ago is outside the 12-month window',
    expect: [['no card', none]] },
  { patient: 'pat-no-alem', drug: 'prednisone', why: 'no alemtuzumab at all',
    expect: [['no card', none]] },
  { patient: 'pat-many', drug: 'prednisone', why: 'alemtuzumab on page 3 of the MedicationRequest search',
    expect: [['critical prolonged-steroid', has('prolonged-steroid', 'critical')]] },
  { patient: 'pat-alem-fingolimod', drug: 'alemtuzumab', why: 'active fingolimod; alemtuzumab known from a MedicationStatement',
    expect: [['overlapping-immunosuppression', has('overlapping-immunosuppression', 'warning')]] },
  { patient: 'pat-alem-active-pred', drug: 'alemtuzumab', why: 'active prednisone 20 mg is not enough premedication',
    expect: [['steroid-premedication warning', has('steroid-premedication', 'warning')],
             ['antiviral-prophylaxis warning', has('antiviral-prophylaxis', 'warning')],
             ['no overlapping-immunosuppression', lacks('overlapping-immunosuppression')]] },
  { patient: 'pat-no-alem', drug: 'alemtuzumab', why: 'first course, nothing ordered with it',
    expect: [['steroid-premedication warning', has('steroid-premedication', 'warning')],
             ['antiviral-prophylaxis warning', has('antiviral-prophylaxis', 'warning')]] },
];

for (const scenario of SCENARIOS) {
  for (const { hook, serviceId } of HOOKS) {
    test(`${hook}: ${scenario.patient} + ${scenario.drug} (${scenario.why})`, async () => {
      const context = contextFor(hook, scenario.patient, [draftOrder(scenario.drug, scenario.patient)]);
      const answer = await client.call(serviceId, hook, context, { mode: 'fhirServer' });
      assert.deepEqual(answer.problems, [], answer.text.slice(0, 400));
      assert.equal(answer.status, 200, answer.text.slice(0, 400));
      const cards = answer.json.cards.map((card) => ({ topic: card.source.topic.code, indicator: card.indicator }));
      for (const [what, check] of scenario.expect) {
        assert.ok(check(cards), `expected ${what}, got ${JSON.stringify(cards)}`);
      }
    });
  }
}
