'use strict';
/**
 * Draft MedicationRequests and hook contexts as EHRs build them at order entry, plus the
 * malformed drafts real clients send.
 */
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SCT = 'http://snomed.info/sct';
const ROUTES = {
  iv: { system: SCT, code: '47625008', display: 'Intravenous route' },
  oral: { system: SCT, code: '26643006', display: 'Oral route' },
};
const DRUGS = {
  alemtuzumab: { code: '117055', display: 'alemtuzumab', text: 'alemtuzumab 12 mg/day IV (Lemtrada)', doseMg: 12, route: 'iv', days: 5 },
  prednisone: { code: '8640', display: 'prednisone', text: 'prednisone', doseMg: 40, route: 'oral', days: 42 },
  methylprednisolone: { code: '6902', display: 'methylprednisolone', text: 'methylprednisolone', doseMg: 1000, route: 'iv', days: 3 },
  fingolimod: { code: '1012892', display: 'fingolimod', text: 'fingolimod', doseMg: 0.5, route: 'oral', days: 90 },
};

function isoDay(offsetDays = 0) {
  const day = new Date(Date.now() + offsetDays * 86400000);
  return day.toISOString().slice(0, 10);
}

// A draft order for `drugName` (a DRUGS key) starting today; overrides replace members.
function draftOrder(drugName, patientId, overrides = {}) {
  const drug = DRUGS[drugName];
  const order = {
    resourceType: 'MedicationRequest',
    id: `draft-${drugName}`,
    status: 'draft',
    intent: 'order',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: 'inpatient' }] }],
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: drug.code, display: drug.display }], text: drug.text },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: isoDay(0),
    dosageInstruction: [{
      text: `${drug.doseMg} mg ${drug.route} once daily for ${drug.days} days`,
      timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd',
                          boundsPeriod: { start: isoDay(0), end: isoDay(drug.days - 1) } } },
      route: { coding: [ROUTES[drug.route]] },
      doseAndRate: [{ doseQuantity: { value: drug.doseMg, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }],
    }],
  };
  return { ...order, ...overrides };
}

function collection(resources) {
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

const HOOKS = [
  { hook: 'order-select', serviceId: 'steroid-advisor-order-select' },
  { hook: 'order-sign', serviceId: 'steroid-advisor-order-sign' },
  { hook: 'medication-prescribe', serviceId: 'steroid-advisor-medication-prescribe' },
];

// The hook's context for `drafts` (every draft is under review: order-select selects them all).
function contextFor(hook, patientId, drafts, { userId = 'Practitioner/prac-neuro-ms', encounterId = 'enc-1' } = {}) {
  const context = { userId, patientId, encounterId };
  if (hook === 'medication-prescribe') {
    context.medications = collection(drafts);
  } else {
    context.draftOrders = collection(drafts);
    if (hook === 'order-select') context.selections = drafts.map((d) => `MedicationRequest/${d.id}`);
  }
  return context;
}

// The malformed drafts CDS clients are seen to send. Each yields a context for `hook`; the
// service must answer 200 with valid cards or a clear 4xx, never a 5xx.
function invalidContexts(hook, patientId) {
  const alem = () => draftOrder('alemtuzumab', patientId);
  const withDraft = (order) => contextFor(hook, patientId, [order]);
  const cases = {
    'category as an object instead of an array': withDraft({ ...alem(), category: { coding: [{ code: 'inpatient' }] } }),
    'missing intent': withDraft((({ intent, ...rest }) => rest)(alem())),
    'missing medication': withDraft((({ medicationCodeableConcept, ...rest }) => rest)(alem())),
    'status as a number': withDraft({ ...alem(), status: 3 }),
  };
  const mixed = contextFor(hook, patientId, [alem()]);
  const foreign = { resourceType: 'ServiceRequest', id: 'sr-1', status: 'draft', intent: 'order',
                    subject: { reference: `Patient/${patientId}` }, code: { text: 'MRI brain' } };
  (mixed.draftOrders || mixed.medications).entry.push({ resource: foreign });
  if (hook === 'order-select') mixed.selections.push('ServiceRequest/sr-1');
  cases['a draft Bundle with a non-MedicationRequest entry'] = mixed;
  if (hook === 'order-select') {
    const missing = contextFor(hook, patientId, [alem()]);
    missing.selections = ['MedicationRequest/no-such-order'];
    cases['selections naming a missing order'] = missing;
  }
  return cases;
}

module.exports = { DRUGS, HOOKS, draftOrder, contextFor, invalidContexts, collection, isoDay };
