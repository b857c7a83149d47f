#!/usr/bin/env node
'use strict';
// Writes the benchmark requests under bench/data/ (deterministic; rerun after changing it):
//   order_select_small.json      1 draft alemtuzumab order, empty record (Google Benchmark "small")
//   order_sign_large.json        20 draft orders and a 200-entry record (Google Benchmark "large")
//   order_select_realistic.json  what an EHR sends at order-select for a second alemtuzumab course:
//                                2 drafts (alemtuzumab selected, methylprednisolone; acyclovir
//                                forgotten, so one antiviral-prophylaxis card comes back) and a
//                                12-entry record in prefetch (bench/load.sh posts it with wrk)
const fs = require('fs');
const path = require('path');

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SCT = 'http://snomed.info/sct';
const IV = { system: SCT, code: '47625008', display: 'Intravenous route' };
const ORAL = { system: SCT, code: '26643006', display: 'Oral route' };

function medicationRequest(id, patient, status, drug, doseMg, route, start, end, perDay = 1) {
  return {
    resourceType: 'MedicationRequest',
    id,
    status,
    intent: 'order',
    medicationCodeableConcept: {
      coding: [{ system: RXNORM, code: drug.code, display: drug.name }],
      text: drug.name,
    },
    subject: { reference: `Patient/${patient}` },
    authoredOn: start,
    dosageInstruction: [{
      text: `${doseMg} mg ${route === IV ? 'iv' : 'oral'} ${perDay === 1 ? 'once' : 'twice'} daily`,
      timing: { repeat: { frequency: perDay, period: 1, periodUnit: 'd',
                          boundsPeriod: { start, end } } },
      route: { coding: [route] },
      doseAndRate: [{ doseQuantity: { value: doseMg, unit: 'mg',
                                      system: 'http://unitsofmeasure.org', code: 'mg' } }],
    }],
  };
}

function administration(id, patient, drug, doseMg, route, day) {
  return {
    resourceType: 'MedicationAdministration',
    id,
    status: 'completed',
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: drug.code, display: drug.name }],
                                 text: drug.name },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: `${day}T09:00:00Z`,
    dosage: { route: { coding: [route] },
              dose: { value: doseMg, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } },
  };
}

function statement(id, patient, drug, doseMg, start) {
  return {
    resourceType: 'MedicationStatement',
    id,
    status: 'active',
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: drug.code, display: drug.name }],
                                 text: drug.name },
    subject: { reference: `Patient/${patient}` },
    effectivePeriod: { start },
    dosage: [{ text: `${doseMg} mg oral once daily`, route: { coding: [ORAL] },
               timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
               doseAndRate: [{ doseQuantity: { value: doseMg, unit: 'mg',
                                               system: 'http://unitsofmeasure.org', code: 'mg' } }] }],
  };
}

function searchset(resources) {
  const bundle = { resourceType: 'Bundle', type: 'searchset', total: resources.length };
  if (resources.length > 0) {
    bundle.entry = resources.map((r) => ({
      fullUrl: `http://127.0.0.1:8081/fhir/${r.resourceType}/${r.id}`,
      resource: r,
      search: { mode: 'match' },
    }));
  }
  return bundle;
}

function hookRequest(hook, patient, drafts, selections, record) {
  const context = {
    userId: 'Practitioner/prac-77',
    patientId: patient,
    encounterId: 'enc-55',
    draftOrders: { resourceType: 'Bundle', type: 'collection',
                   entry: drafts.map((resource) => ({ resource })) },
  };
  if (selections) context.selections = selections;
  return {
    hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
    hook,
    fhirServer: 'http://127.0.0.1:8081/fhir',
    context,
    prefetch: {
      medicationRequests: searchset(record.requests),
      medicationAdministrations: searchset(record.administrations),
      medicationStatements: searchset(record.statements),
    },
  };
}

const DRUGS = {
  alemtuzumab: { code: '117055', name: 'alemtuzumab' },
  methylprednisolone: { code: '6902', name: 'methylprednisolone' },
  prednisone: { code: '8640', name: 'prednisone' },
  acyclovir: { code: '281', name: 'acyclovir' },
};
// Drugs an MS patient's record is full of that no rule is about.
const UNRELATED = [
  ['161', 'acetaminophen', 1000], ['26225', 'ondansetron', 8], ['20610', 'cetirizine', 10],
  ['4278', 'famotidine', 20], ['6809', 'metformin', 500], ['83367', 'atorvastatin', 20],
  ['1292', 'baclofen', 10], ['25480', 'gabapentin', 300], ['2418', 'cholecalciferol', 1],
  ['7646', 'omeprazole', 20], ['36437', 'sertraline', 50], ['10582', 'levothyroxine', 0.1],
  ['17767', 'amlodipine', 5], ['29046', 'lisinopril', 10], ['5640', 'ibuprofen', 400],
  ['28889', 'loratadine', 10],
].map(([code, name, dose]) => ({ code, name, dose }));

function small() {
  const patient = 'pat-bench-small';
  const drafts = [medicationRequest('draft-alem', patient, 'draft', DRUGS.alemtuzumab, 12, IV,
                                    '2026-11-25', '2026-11-27')];
  return hookRequest('order-select', patient, drafts, ['MedicationRequest/draft-alem'],
                     { requests: [], administrations: [], statements: [] });
}

function realistic() {
  const patient = 'pat-bench-realistic';
  const drafts = [
    medicationRequest('draft-alem', patient, 'draft', DRUGS.alemtuzumab, 12, IV, '2026-11-25', '2026-11-27'),
    medicationRequest('draft-mp', patient, 'draft', DRUGS.methylprednisolone, 1000, IV, '2026-11-25', '2026-11-27'),
  ];
  const requests = [
    medicationRequest('hist-alem', patient, 'completed', DRUGS.alemtuzumab, 12, IV, '2025-11-20', '2025-11-24'),
    medicationRequest('hist-mp', patient, 'completed', DRUGS.methylprednisolone, 1000, IV, '2025-11-20', '2025-11-22'),
    medicationRequest('hist-acv', patient, 'completed', DRUGS.acyclovir, 200, ORAL, '2025-11-20', '2026-01-20', 2),
  ];
  for (let i = 0; i < 5; ++i) {
    const drug = UNRELATED[i];
    requests.push(medicationRequest(`rx-${i}`, patient, 'active', drug, drug.dose, ORAL, '2026-06-01', '2027-06-01'));
  }
  const administrations = [0, 1, 2].map((d) => administration(
      `adm-mp-${d}`, patient, DRUGS.methylprednisolone, 1000, IV, `2025-11-2${d}`));
  const statements = [statement('stmt-vitd', patient, UNRELATED[8], 1, '2024-01-01')];
  return hookRequest('order-select', patient, drafts, ['MedicationRequest/draft-alem'],
                     { requests, administrations, statements });
}

function large() {
  const patient = 'pat-bench-large';
  const drafts = [
    medicationRequest('draft-alem', patient, 'draft', DRUGS.alemtuzumab, 12, IV, '2026-11-25', '2026-11-27'),
    medicationRequest('draft-mp', patient, 'draft', DRUGS.methylprednisolone, 500, IV, '2026-11-25', '2026-11-26'),
    medicationRequest('draft-pred', patient, 'draft', DRUGS.prednisone, 40, ORAL, '2026-11-28', '2027-01-08'),
    medicationRequest('draft-acv', patient, 'draft', DRUGS.acyclovir, 200, ORAL, '2026-11-25', '2027-01-25', 2),
  ];
  for (let i = 0; drafts.length < 20; ++i) {
    const drug = UNRELATED[i % UNRELATED.length];
    drafts.push(medicationRequest(`draft-${i}`, patient, 'draft', drug, drug.dose, ORAL, '2026-11-25', '2027-05-25'));
  }
  const requests = [];
  const administrations = [];
  const statements = [];
  // 140 requests (one earlier alemtuzumab course among them), 40 administrations, 20 statements.
  requests.push(medicationRequest('hist-alem', patient, 'completed', DRUGS.alemtuzumab, 12, IV, '2025-11-20', '2025-11-24'));
  for (let i = 0; requests.length < 140; ++i) {
    const drug = UNRELATED[i % UNRELATED.length];
    const year = 2020 + (i % 7);
    requests.push(medicationRequest(`rx-${i}`, patient, i % 5 === 0 ? 'active' : 'completed', drug, drug.dose, ORAL,
                                    `${year}-03-01`, `${year}-09-01`));
  }
  for (let i = 0; i < 40; ++i) {
    const drug = i < 5 ? DRUGS.methylprednisolone : UNRELATED[i % UNRELATED.length];
    const dose = i < 5 ? 1000 : drug.dose;
    const day = `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(10 + (i % 18)).padStart(2, '0')}`;
    administrations.push(administration(`adm-${i}`, patient, drug, dose, i < 5 ? IV : ORAL, day));
  }
  for (let i = 0; i < 20; ++i) {
    const drug = UNRELATED[(i + 3) % UNRELATED.length];
    statements.push(statement(`stmt-${i}`, patient, drug, drug.dose, `202${i % 6}-01-01`));
  }
  return hookRequest('order-sign', patient, drafts, null, { requests, administrations, statements });
}

const out = path.join(__dirname, 'data');
fs.mkdirSync(out, { recursive: true });
for (const [name, body] of [['order_select_small', small()], ['order_sign_large', large()],
                            ['order_select_realistic', realistic()]]) {
  fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify(body, null, 1) + '\n');
}
