#!/usr/bin/env node
// Checks the format of the clinical case corpus (tests/data/cases/<area>/<scenario>.json).
// It checks the shape only, not the clinical expectations: required keys, allowed values,
// card order, hook vs service, selections, prefetch keys, subject references, distinct patient ids,
// and that every case marked AMBIGUOUS / LITERAL READING is listed in README.md.
// Usage: node tests/data/cases/check.js [dir]   (exit code 1 on any problem)
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(process.argv[2] || __dirname);

const AREAS = [
  'steroid_premedication', 'antiviral_prophylaxis', 'prolonged_steroid', 'overlapping_immunosuppression',
  'relapse_steroid_course', 'multi_card', 'never_a_card',
];
const SERVICES = {
  'steroid-advisor-order-select': 'order-select',
  'steroid-advisor-order-sign': 'order-sign',
  'steroid-advisor-medication-prescribe': 'medication-prescribe',
};
const TOPICS = [  // RULES.md order
  'steroid-premedication', 'antiviral-prophylaxis', 'prolonged-steroid', 'overlapping-immunosuppression',
  'relapse-steroid-course',
];
const INDICATORS = ['critical', 'warning', 'info'];  // service order
// Allowed variants per topic, with the default indicator each one carries.
const VARIANTS = {
  'steroid-premedication': { missing: 'warning', 'low-dose': 'warning', 'too-few-days': 'warning' },
  'antiviral-prophylaxis': { missing: 'warning' },
  'prolonged-steroid': {
    warning: 'warning', critical: 'critical', 'critical-pjp-active': 'critical', 'dose-unknown': 'warning',
  },
  'overlapping-immunosuppression': { default: 'warning' },
  'relapse-steroid-course': { default: 'info', 'dose-unknown': 'info' },
};
const ACTIONS = ['create', 'update', 'delete'];
const PREFETCH_KEYS = ['medicationRequests', 'medicationAdministrations', 'medicationStatements'];
const CASE_KEYS = ['why', 'now', 'service', 'request', 'expect'];
const CARD_KEYS = ['topic', 'indicator', 'variant', 'summaryContains', 'detailContains', 'suggestionActions'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const SNAKE = /^[a-z0-9]+(_[a-z0-9]+)*\.json$/;
const FLAGGED = /^(AMBIGUOUS|LITERAL READING)/;

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isDate = (s) => {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !isNaN(d) && d.toISOString().slice(0, 10) === s;
};

const problems = [];
const seenPatient = new Map();
const seenHookInstance = new Map();
const flagged = [];
const perArea = {};
const perTopic = {};
let total = 0;

function checkCase(rel, c) {
  const err = (msg) => problems.push(`${rel}: ${msg}`);
  if (!isObj(c)) return err('not a JSON object');
  for (const k of Object.keys(c)) if (!CASE_KEYS.includes(k)) err(`unknown key "${k}"`);
  for (const k of CASE_KEYS) if (!(k in c)) err(`missing key "${k}"`);
  if (typeof c.why !== 'string' || c.why.trim().length < 20) err('why: expected a sentence or two');
  if (FLAGGED.test(c.why || '')) flagged.push(rel);
  if (!isDate(c.now)) err('now: expected an ISO date YYYY-MM-DD');
  const hook = SERVICES[c.service];
  if (!hook) err(`service: "${c.service}" is not one of ${Object.keys(SERVICES).join(', ')}`);

  // request
  const r = c.request;
  if (!isObj(r)) return err('request: expected an object');
  if (hook && r.hook !== hook) err(`request.hook: "${r.hook}" does not match service ${c.service} (${hook})`);
  if (typeof r.hookInstance !== 'string' || !UUID.test(r.hookInstance)) err('request.hookInstance: expected a UUID');
  else if (seenHookInstance.has(r.hookInstance)) err(`request.hookInstance: also used by ${seenHookInstance.get(r.hookInstance)}`);
  else seenHookInstance.set(r.hookInstance, rel);
  // A client's request kept exactly as it was sent may break the corpus conventions below (no
  // fhirServer, a draftOrders Bundle without type); its why starts with "Verbatim client request".
  const verbatim = /^Verbatim client request/.test(c.why || '');
  if ('fhirServer' in r || !verbatim) {
    if (typeof r.fhirServer !== 'string' || !/^https?:\/\//.test(r.fhirServer)) err('request.fhirServer: expected an http(s) URL');
  }
  const ctx = r.context;
  if (!isObj(ctx)) return err('request.context: expected an object');
  if (typeof ctx.userId !== 'string' || !/^(Practitioner|PractitionerRole|Patient|RelatedPerson)\/./.test(ctx.userId)) err('request.context.userId: expected e.g. "Practitioner/prac-77"');
  const pid = ctx.patientId;
  if (typeof pid !== 'string' || !FHIR_ID.test(pid)) err('request.context.patientId: expected a FHIR id');
  else if (seenPatient.has(pid)) err(`request.context.patientId: "${pid}" also used by ${seenPatient.get(pid)}`);
  else seenPatient.set(pid, rel);

  const subjectResources = [];  // resources whose subject must be Patient/<pid>
  const entriesOf = (b) => (isObj(b) && Array.isArray(b.entry) ? b.entry : []);
  const resourcesOf = (b) => entriesOf(b).filter((e) => isObj(e) && isObj(e.resource)).map((e) => e.resource);

  if (hook === 'order-select' || hook === 'order-sign') {
    const b = ctx.draftOrders;
    const typeOk = b && (b.type === 'collection' || (verbatim && !('type' in b)));
    if (!isObj(b) || b.resourceType !== 'Bundle' || !typeOk || !Array.isArray(b.entry)) {
      err('request.context.draftOrders: expected a Bundle of type collection with an entry array');
    } else {
      const ids = new Set();
      for (const res of resourcesOf(b)) {
        const key = `${res.resourceType}/${res.id}`;
        if (ids.has(key)) err(`request.context.draftOrders: duplicate ${key}`);
        ids.add(key);
        subjectResources.push(['draftOrders', res]);
      }
      if (hook === 'order-select') {
        if (!Array.isArray(ctx.selections) || ctx.selections.length === 0) err('request.context.selections: order-select needs a non-empty array');
        else for (const s of ctx.selections) {
          if (typeof s !== 'string' || !ids.has(s)) err(`request.context.selections: "${s}" names no draft order`);
        }
      } else if ('selections' in ctx) err('request.context.selections: only for order-select');
    }
    if ('medications' in ctx) err('request.context.medications: only for medication-prescribe');
  } else if (hook === 'medication-prescribe') {
    const m = ctx.medications;
    let list = null;
    if (Array.isArray(m)) list = m;
    else if (isObj(m) && m.resourceType === 'Bundle' && m.type === 'collection' && Array.isArray(m.entry)) list = resourcesOf(m);
    if (!list) err('request.context.medications: expected a collection Bundle or an array of MedicationRequest');
    else for (const res of list) {
      if (!isObj(res) || res.resourceType !== 'MedicationRequest') err('request.context.medications: every item must be a MedicationRequest');
      else subjectResources.push(['medications', res]);
    }
    if ('draftOrders' in ctx || 'selections' in ctx) err('request.context: draftOrders/selections are not medication-prescribe context');
  }

  const pf = r.prefetch;
  const missingKeyCase = /missing prefetch key/i.test(c.why || '');
  if (!isObj(pf)) err('request.prefetch: expected an object');
  else {
    for (const k of Object.keys(pf)) if (!PREFETCH_KEYS.includes(k)) err(`request.prefetch: unknown key "${k}" (the service declares ${PREFETCH_KEYS.join(', ')})`);
    for (const k of PREFETCH_KEYS) {
      if (!(k in pf)) { if (!missingKeyCase) err(`request.prefetch.${k}: missing (say "missing prefetch key" in why if deliberate)`); continue; }
      const b = pf[k];
      if (!isObj(b) || b.resourceType !== 'Bundle' || b.type !== 'searchset') { err(`request.prefetch.${k}: expected a searchset Bundle`); continue; }
      if ('entry' in b && !Array.isArray(b.entry)) err(`request.prefetch.${k}.entry: expected an array`);
      for (const res of resourcesOf(b)) subjectResources.push([`prefetch.${k}`, res]);
    }
  }
  for (const [where, res] of subjectResources) {
    if (!['MedicationRequest', 'MedicationAdministration', 'MedicationStatement', 'ServiceRequest', 'Observation'].includes(res.resourceType)) continue;
    const ref = isObj(res.subject) ? res.subject.reference : undefined;
    if (ref !== `Patient/${pid}`) err(`${where} ${res.resourceType}/${res.id}: subject "${ref}" is not Patient/${pid}`);
  }

  // expect
  if (!isObj(c.expect) || !Array.isArray(c.expect.cards)) return err('expect.cards: expected an array');
  for (const k of Object.keys(c.expect)) if (k !== 'cards') err(`expect: unknown key "${k}"`);
  const seenTopic = new Set();
  let prev = null;
  c.expect.cards.forEach((card, i) => {
    const at = `expect.cards[${i}]`;
    if (!isObj(card)) return err(`${at}: expected an object`);
    for (const k of Object.keys(card)) if (!CARD_KEYS.includes(k)) err(`${at}: unknown key "${k}"`);
    if (!TOPICS.includes(card.topic)) return err(`${at}.topic: "${card.topic}" is not one of ${TOPICS.join(', ')}`);
    if (!INDICATORS.includes(card.indicator)) return err(`${at}.indicator: "${card.indicator}" is not one of ${INDICATORS.join(', ')}`);
    if (seenTopic.has(card.topic)) err(`${at}: a second ${card.topic} card (one card per rule per request)`);
    seenTopic.add(card.topic);
    if ('variant' in card) {
      const v = VARIANTS[card.topic][card.variant];
      if (!v) err(`${at}.variant: "${card.variant}" is not one of ${Object.keys(VARIANTS[card.topic]).join(', ')} for ${card.topic}`);
      else if (v !== card.indicator) err(`${at}: variant ${card.variant} carries indicator ${v}, not ${card.indicator}`);
    }
    for (const k of ['summaryContains', 'detailContains']) {
      if (!(k in card)) continue;
      if (!Array.isArray(card[k]) || card[k].some((s) => typeof s !== 'string' || !s.trim())) err(`${at}.${k}: expected an array of non-empty strings`);
      else for (const s of card[k]) if (/\d\.0(?!\d)/.test(s)) err(`${at}.${k}: "${s}" has a trailing ".0"`);
    }
    if ('suggestionActions' in card) {
      if (!Array.isArray(card.suggestionActions) || card.suggestionActions.some((a) => !ACTIONS.includes(a))) err(`${at}.suggestionActions: expected an array of ${ACTIONS.join('|')}`);
    }
    const pos = [INDICATORS.indexOf(card.indicator), TOPICS.indexOf(card.topic)];
    if (prev && (pos[0] < prev[0] || (pos[0] === prev[0] && pos[1] < prev[1]))) {
      err(`${at}: out of order (critical, warning, info; then RULES.md rule order)`);
    }
    prev = pos;
    perTopic[card.topic] = (perTopic[card.topic] || 0) + 1;
  });
}

for (const area of fs.readdirSync(root).sort()) {
  const dir = path.join(root, area);
  if (!fs.statSync(dir).isDirectory()) continue;
  if (!AREAS.includes(area)) { problems.push(`${area}/: unknown area (expected one of ${AREAS.join(', ')})`); continue; }
  for (const f of fs.readdirSync(dir).sort()) {
    const rel = `${area}/${f}`;
    if (!f.endsWith('.json')) { problems.push(`${rel}: not a .json file`); continue; }
    if (!SNAKE.test(f)) problems.push(`${rel}: file name is not snake_case`);
    total++;
    perArea[area] = (perArea[area] || 0) + 1;
    let c;
    try { c = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')); } catch (e) { problems.push(`${rel}: does not parse: ${e.message}`); continue; }
    checkCase(rel, c);
  }
}

// Every flagged reading must be listed in the README table.
const readmePath = path.join(root, 'README.md');
if (!fs.existsSync(readmePath)) problems.push('README.md: missing');
else {
  const readme = fs.readFileSync(readmePath, 'utf8');
  for (const rel of flagged) {
    if (!readme.includes(rel.replace(/\.json$/, ''))) problems.push(`${rel}: marked AMBIGUOUS/LITERAL READING but not listed in README.md`);
  }
}

for (const [a, n] of Object.entries(perArea)) console.log(`${a.padEnd(32)} ${n} cases`);
console.log(`${'total'.padEnd(32)} ${total} cases`);
for (const t of TOPICS) console.log(`  cards expected, ${t.padEnd(30)} ${perTopic[t] || 0}`);
if (problems.length) {
  console.error(`\n${problems.length} problem(s):`);
  for (const p of problems) console.error('  ' + p);
  process.exit(1);
}
console.log('corpus format OK');
