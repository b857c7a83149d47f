#!/usr/bin/env node
// Regenerates the transaction Bundles in ../data/ (one file per patient).
// The JSON files are committed; run this only after changing the records below:
//   node scripts/generate-data.js
// "Today" for all the records is 2026-11-24.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';
const MR_CATEGORY = 'http://terminology.hl7.org/CodeSystem/medicationrequest-category';
const MS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/medication-statement-category';
const DOSE_RATE_TYPE = 'http://terminology.hl7.org/CodeSystem/dose-rate-type';
const MRN_SYSTEM = 'http://hospital.example.org/fhir/sid/mrn';

const OUT_DIR = path.join(__dirname, '..', 'data');

// ---------------------------------------------------------------- building blocks

const ROUTE_IV = { coding: [{ system: SNOMED, code: '47625008', display: 'Intravenous route' }], text: 'IV' };
const ROUTE_PO = { coding: [{ system: SNOMED, code: '26643006', display: 'Oral route' }], text: 'oral' };
const REASON_MS = [{ coding: [{ system: SNOMED, code: '24700007', display: 'Multiple sclerosis' }], text: 'Multiple sclerosis' }];
const NEUROLOGIST = { reference: 'Practitioner/prac-neuro-ms', display: 'Dr. Amara Okafor' };
const GP = { reference: 'Practitioner/prac-gp', display: 'Dr. Lukas Brandt' };

const DRUG = {
  alemtuzumab: { code: '1594660', display: 'alemtuzumab 10 MG/ML [Lemtrada]' },
  methylprednisolone: { code: '6902', display: 'methylprednisolone' },
  acyclovir: { code: '281', display: 'acyclovir' },
  prednisone: { code: '8640', display: 'prednisone' },
  fingolimod: { code: '1012892', display: 'fingolimod' },
  metformin: { code: '6809', display: 'metformin' },
  lisinopril: { code: '29046', display: 'lisinopril' },
  acetaminophen: { code: '161', display: 'acetaminophen' },
};

function medication(drug) {
  return { coding: [{ system: RXNORM, code: drug.code, display: drug.display }], text: drug.display };
}

function mg(value) {
  return { value, unit: 'mg', system: UCUM, code: 'mg' };
}

function patientRef(pid, name) {
  return { reference: `Patient/${pid}`, display: name };
}

function period(start, end) {
  const p = { start };
  if (end) p.end = end;
  return p;
}

function dosage({ text, route, doseMg, frequency = 1, start, end, asNeeded }) {
  const d = {
    sequence: 1,
    text,
    timing: { repeat: { boundsPeriod: period(start, end), frequency, period: 1, periodUnit: 'd' } },
  };
  if (asNeeded) d.asNeededBoolean = true;
  d.route = route;
  d.doseAndRate = [{
    type: { coding: [{ system: DOSE_RATE_TYPE, code: 'ordered', display: 'Ordered' }] },
    doseQuantity: mg(doseMg),
  }];
  return d;
}

function medicationRequest(o) {
  const r = {
    resourceType: 'MedicationRequest',
    id: o.id,
    status: o.status,
    intent: 'order',
    category: [{
      coding: [{ system: MR_CATEGORY, code: o.category || 'community', display: o.category === 'outpatient' ? 'Outpatient' : 'Community' }],
    }],
    medicationCodeableConcept: medication(o.drug),
    subject: patientRef(o.patient, o.patientName),
    authoredOn: o.authoredOn,
    requester: o.requester || GP,
  };
  if (o.reason) r.reasonCode = o.reason;
  if (o.note) r.note = [{ text: o.note }];
  r.dosageInstruction = [dosage(o.dosage)];
  if (o.supplyDays) {
    r.dispenseRequest = {
      numberOfRepeatsAllowed: o.repeats || 0,
      expectedSupplyDuration: { value: o.supplyDays, unit: 'days', system: UCUM, code: 'd' },
    };
  }
  return r;
}

function medicationAdministration(o) {
  const r = {
    resourceType: 'MedicationAdministration',
    id: o.id,
    status: 'completed',
    medicationCodeableConcept: medication(o.drug),
    subject: patientRef(o.patient, o.patientName),
    effectiveDateTime: o.effectiveDateTime,
    performer: [{ actor: { display: 'MS infusion centre nurse' } }],
  };
  if (o.request) r.request = { reference: `MedicationRequest/${o.request}` };
  r.dosage = { text: o.text, route: o.route, dose: mg(o.doseMg) };
  return r;
}

function patient(o) {
  return {
    resourceType: 'Patient',
    id: o.id,
    identifier: [{ system: MRN_SYSTEM, value: o.mrn }],
    active: true,
    name: [{ use: 'official', family: o.family, given: [o.given] }],
    gender: o.gender,
    birthDate: o.birthDate,
  };
}

function transaction(resources) {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource) => ({
      resource,
      request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
    })),
  };
}

function alemtuzumabCourse1({ idPrefix, patient: pid, patientName, authoredOn, start, end, status = 'completed' }) {
  return medicationRequest({
    id: `${idPrefix}-alemtuzumab`,
    status,
    category: 'outpatient',
    drug: DRUG.alemtuzumab,
    patient: pid,
    patientName,
    authoredOn,
    requester: NEUROLOGIST,
    reason: REASON_MS,
    note: 'Alemtuzumab (Lemtrada) course 1: 12 mg/day IV infusion for 5 consecutive days.',
    dosage: { text: '12 mg IV over 4 hours once daily for 5 consecutive days', route: ROUTE_IV, doseMg: 12, start, end },
  });
}

// ---------------------------------------------------------------- shared practitioners

const practitioners = transaction([
  {
    resourceType: 'Practitioner', id: 'prac-neuro-ms', active: true,
    name: [{ use: 'official', family: 'Okafor', given: ['Amara'], prefix: ['Dr.'] }],
    qualification: [{ code: { text: 'Neurology (MS specialist)' } }],
  },
  {
    resourceType: 'Practitioner', id: 'prac-gp', active: true,
    name: [{ use: 'official', family: 'Brandt', given: ['Lukas'], prefix: ['Dr.'] }],
    qualification: [{ code: { text: 'General practice' } }],
  },
]);

// ---------------------------------------------------------------- pat-alem-4mo

function patAlem4mo() {
  const pid = 'pat-alem-4mo';
  const name = 'Maria Jensen';
  return transaction([
    patient({ id: pid, mrn: 'MRN-100401', family: 'Jensen', given: 'Maria', gender: 'female', birthDate: '1988-03-14' }),
    alemtuzumabCourse1({ idPrefix: 'mr-alem-4mo', patient: pid, patientName: name, authoredOn: '2026-07-26', start: '2026-07-27', end: '2026-07-31' }),
    medicationAdministration({
      id: 'ma-alem-4mo-alemtuzumab-day1', drug: DRUG.alemtuzumab, patient: pid, patientName: name,
      effectiveDateTime: '2026-07-27', request: 'mr-alem-4mo-alemtuzumab',
      text: '12 mg IV infusion over 4 hours (course 1, day 1)', route: ROUTE_IV, doseMg: 12,
    }),
    medicationRequest({
      id: 'mr-alem-4mo-methylprednisolone', status: 'completed', category: 'outpatient',
      drug: DRUG.methylprednisolone, patient: pid, patientName: name, authoredOn: '2026-07-26',
      requester: NEUROLOGIST, reason: REASON_MS,
      note: 'Premedication immediately before each alemtuzumab infusion.',
      dosage: { text: '1000 mg IV once daily before alemtuzumab infusion', route: ROUTE_IV, doseMg: 1000, start: '2026-07-27', end: '2026-07-31' },
    }),
    medicationRequest({
      id: 'mr-alem-4mo-acyclovir', status: 'completed', category: 'community',
      drug: DRUG.acyclovir, patient: pid, patientName: name, authoredOn: '2026-07-26',
      requester: NEUROLOGIST,
      note: 'Herpes prophylaxis from the first day of alemtuzumab until 2 months after the course.',
      dosage: { text: '200 mg orally twice daily', route: ROUTE_PO, doseMg: 200, frequency: 2, start: '2026-07-27', end: '2026-09-30' },
      supplyDays: 30, repeats: 2,
    }),
  ]);
}

// ---------------------------------------------------------------- pat-alem-2y

function patAlem2y() {
  const pid = 'pat-alem-2y';
  const name = 'Thomas Keller';
  return transaction([
    patient({ id: pid, mrn: 'MRN-100402', family: 'Keller', given: 'Thomas', gender: 'male', birthDate: '1979-11-02' }),
    alemtuzumabCourse1({ idPrefix: 'mr-alem-2y', patient: pid, patientName: name, authoredOn: '2024-11-18', start: '2024-11-19', end: '2024-11-23' }),
    medicationAdministration({
      id: 'ma-alem-2y-alemtuzumab-day1', drug: DRUG.alemtuzumab, patient: pid, patientName: name,
      effectiveDateTime: '2024-11-19T14:05:00Z', request: 'mr-alem-2y-alemtuzumab',
      text: '12 mg IV infusion over 4 hours (course 1, day 1)', route: ROUTE_IV, doseMg: 12,
    }),
  ]);
}

// ---------------------------------------------------------------- pat-no-alem

function patNoAlem() {
  const pid = 'pat-no-alem';
  const name = 'Helen Ortiz';
  return transaction([
    patient({ id: pid, mrn: 'MRN-100403', family: 'Ortiz', given: 'Helen', gender: 'female', birthDate: '1961-06-25' }),
    medicationRequest({
      id: 'mr-no-alem-metformin', status: 'active', drug: DRUG.metformin, patient: pid, patientName: name,
      authoredOn: '2026-02-03',
      dosage: { text: '500 mg orally twice daily with meals', route: ROUTE_PO, doseMg: 500, frequency: 2, start: '2026-02-03' },
      supplyDays: 90, repeats: 3,
    }),
    medicationRequest({
      id: 'mr-no-alem-lisinopril', status: 'active', drug: DRUG.lisinopril, patient: pid, patientName: name,
      authoredOn: '2025-09-12',
      dosage: { text: '10 mg orally once daily', route: ROUTE_PO, doseMg: 10, start: '2025-09-12' },
      supplyDays: 90, repeats: 3,
    }),
    {
      resourceType: 'MedicationStatement',
      id: 'ms-no-alem-acetaminophen',
      status: 'active',
      category: { coding: [{ system: MS_CATEGORY, code: 'patientspecified', display: 'Patient Specified' }] },
      medicationCodeableConcept: medication(DRUG.acetaminophen),
      subject: patientRef(pid, name),
      effectivePeriod: { start: '2025-01-01' },
      dateAsserted: '2026-10-15',
      informationSource: patientRef(pid, name),
      dosage: [{ text: '500 mg orally as needed for headache, max 3 g/day', asNeededBoolean: true, route: ROUTE_PO,
        doseAndRate: [{ doseQuantity: mg(500) }] }],
    },
  ]);
}

// ---------------------------------------------------------------- pat-alem-active-pred

function patAlemActivePred() {
  const pid = 'pat-alem-active-pred';
  const name = 'Sofia Rossi';
  return transaction([
    patient({ id: pid, mrn: 'MRN-100404', family: 'Rossi', given: 'Sofia', gender: 'female', birthDate: '1992-08-09' }),
    alemtuzumabCourse1({ idPrefix: 'mr-alem-pred', patient: pid, patientName: name, authoredOn: '2026-08-23', start: '2026-08-24', end: '2026-08-28' }),
    medicationAdministration({
      id: 'ma-alem-pred-alemtuzumab-day1', drug: DRUG.alemtuzumab, patient: pid, patientName: name,
      effectiveDateTime: '2026-08-24T13:15:00Z', request: 'mr-alem-pred-alemtuzumab',
      text: '12 mg IV infusion over 4 hours (course 1, day 1)', route: ROUTE_IV, doseMg: 12,
    }),
    medicationRequest({
      id: 'mr-alem-pred-prednisone', status: 'active', drug: DRUG.prednisone, patient: pid, patientName: name,
      authoredOn: '2026-11-10', requester: GP,
      dosage: { text: '20 mg orally once daily in the morning', route: ROUTE_PO, doseMg: 20, start: '2026-11-10', end: '2026-12-10' },
      supplyDays: 30, repeats: 0,
    }),
  ]);
}

// ---------------------------------------------------------------- pat-alem-fingolimod

function patAlemFingolimod() {
  const pid = 'pat-alem-fingolimod';
  const name = 'Daniel Novak';
  return transaction([
    patient({ id: pid, mrn: 'MRN-100405', family: 'Novak', given: 'Daniel', gender: 'male', birthDate: '1985-01-30' }),
    {
      resourceType: 'MedicationStatement',
      id: 'ms-alem-fingo-alemtuzumab',
      status: 'completed',
      category: { coding: [{ system: MS_CATEGORY, code: 'outpatient', display: 'Outpatient' }] },
      medicationCodeableConcept: medication(DRUG.alemtuzumab),
      subject: patientRef(pid, name),
      effectivePeriod: { start: '2026-06-22', end: '2026-06-26' },
      dateAsserted: '2026-11-03',
      informationSource: NEUROLOGIST,
      reasonCode: REASON_MS,
      note: [{ text: 'Alemtuzumab course 1 given at an outside hospital; recorded from the transfer letter.' }],
      dosage: [{
        text: '12 mg IV once daily for 5 consecutive days',
        timing: { repeat: { boundsPeriod: { start: '2026-06-22', end: '2026-06-26' }, frequency: 1, period: 1, periodUnit: 'd' } },
        route: ROUTE_IV,
        doseAndRate: [{ doseQuantity: mg(12) }],
      }],
    },
    medicationRequest({
      id: 'mr-alem-fingo-fingolimod', status: 'active', drug: DRUG.fingolimod, patient: pid, patientName: name,
      authoredOn: '2026-11-03', requester: NEUROLOGIST, reason: REASON_MS,
      dosage: { text: '0.5 mg orally once daily', route: ROUTE_PO, doseMg: 0.5, start: '2026-11-04' },
      supplyDays: 30, repeats: 5,
    }),
  ]);
}

// ---------------------------------------------------------------- pat-many

// Ingredient-level RxNorm codes for common, unrelated (non-immunosuppressive) drugs.
const MANY_DRUGS = [
  { code: '6809', display: 'metformin', mg: 500, freq: 2 },
  { code: '29046', display: 'lisinopril', mg: 10, freq: 1 },
  { code: '83367', display: 'atorvastatin', mg: 40, freq: 1 },
  { code: '17767', display: 'amlodipine', mg: 5, freq: 1 },
  { code: '6918', display: 'metoprolol', mg: 25, freq: 2 },
  { code: '5487', display: 'hydrochlorothiazide', mg: 25, freq: 1 },
  { code: '52175', display: 'losartan', mg: 50, freq: 1 },
  { code: '7646', display: 'omeprazole', mg: 20, freq: 1 },
  { code: '161', display: 'acetaminophen', mg: 500, freq: 4, prn: true, acute: true },
  { code: '36437', display: 'sertraline', mg: 50, freq: 1 },
  { code: '25480', display: 'gabapentin', mg: 300, freq: 3 },
  { code: '1292', display: 'baclofen', mg: 10, freq: 3 },
  { code: '321988', display: 'escitalopram', mg: 10, freq: 1 },
  { code: '4603', display: 'furosemide', mg: 20, freq: 1 },
  { code: '9997', display: 'spironolactone', mg: 25, freq: 1 },
  { code: '20352', display: 'carvedilol', mg: 6.25, freq: 2 },
  { code: '40790', display: 'pantoprazole', mg: 40, freq: 1 },
  { code: '88249', display: 'montelukast', mg: 10, freq: 1 },
  { code: '72625', display: 'duloxetine', mg: 60, freq: 1 },
  { code: '26225', display: 'ondansetron', mg: 4, freq: 3, prn: true, acute: true },
  { code: '723', display: 'amoxicillin', mg: 500, freq: 3, acute: true },
  { code: '5640', display: 'ibuprofen', mg: 400, freq: 3, prn: true, acute: true },
];

function addDays(date, days) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function freqText(freq) {
  return ['', 'once daily', 'twice daily', 'three times daily', 'every 6 hours'][freq];
}

function patMany() {
  const pid = 'pat-many';
  const name = 'George Whitfield';
  const requests = [];
  for (let i = 0; i < 2 * MANY_DRUGS.length; i++) {
    const drug = MANY_DRUGS[i % MANY_DRUGS.length];
    const older = i < MANY_DRUGS.length;
    const authored = older ? addDays('2023-01-09', i * 29) : addDays('2025-01-06', (i - MANY_DRUGS.length) * 20);
    let status;
    let end;
    if (drug.acute) {
      status = 'completed';
      end = addDays(authored, 10);
    } else if (older) {
      status = i % 5 === 0 ? 'stopped' : 'completed';
      end = addDays(authored, 180);
    } else {
      status = 'active';
      end = undefined;
    }
    requests.push(medicationRequest({
      id: `mr-many-${String(i + 1).padStart(2, '0')}-${drug.display}`,
      status,
      drug,
      patient: pid,
      patientName: name,
      authoredOn: `${authored}T10:${String(i % 60).padStart(2, '0')}:00Z`,
      dosage: {
        text: `${drug.mg} mg orally ${freqText(drug.freq)}${drug.prn ? ' as needed' : ''}`,
        route: ROUTE_PO, doseMg: drug.mg, frequency: drug.freq, start: authored, end, asNeeded: drug.prn,
      },
      supplyDays: drug.acute ? 10 : 90,
      repeats: drug.acute ? 0 : 3,
    }));
  }
  // 44 unrelated requests + 1 alemtuzumab = 45. Put alemtuzumab at index 42 so that
  // with _count=20 it is on page 3 (entries 41..45).
  requests.splice(42, 0, alemtuzumabCourse1({
    idPrefix: 'mr-many-43', patient: pid, patientName: name,
    authoredOn: '2026-05-24', start: '2026-05-25', end: '2026-05-29',
  }));
  if (requests.length !== 45) throw new Error('expected 45 MedicationRequests');
  return transaction([
    patient({ id: pid, mrn: 'MRN-100406', family: 'Whitfield', given: 'George', gender: 'male', birthDate: '1970-04-17' }),
    ...requests,
  ]);
}

// ---------------------------------------------------------------- write

const FILES = {
  'practitioners.json': practitioners,
  'pat-alem-4mo.json': patAlem4mo(),
  'pat-alem-2y.json': patAlem2y(),
  'pat-no-alem.json': patNoAlem(),
  'pat-alem-active-pred.json': patAlemActivePred(),
  'pat-alem-fingolimod.json': patAlemFingolimod(),
  'pat-many.json': patMany(),
};

fs.mkdirSync(OUT_DIR, { recursive: true });
for (const [file, bundle] of Object.entries(FILES)) {
  fs.writeFileSync(path.join(OUT_DIR, file), JSON.stringify(bundle, null, 2) + '\n');
  process.stdout.write(`wrote data/${file} (${bundle.entry.length} entries)\n`);
}
