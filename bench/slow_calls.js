'use strict';
// Isolation scenario driver for bench/load.sh (issue 12): keeps N order-sign calls without
// prefetch in flight against cds_server for S seconds, each needing the patient's record from
// the (slow) FHIR server, and checks every answer: status 200 and the same cards as the same
// call with the record prefetched. Prints one JSON summary line. Loopback only, bounded in time.
//   node bench/slow_calls.js CDS_BASE FHIR_BASE N SECONDS
const fs = require('fs');
const path = require('path');

const [cdsBase, fhirBase, concurrency, seconds] = process.argv.slice(2);
const root = path.resolve(__dirname, '..');
const fixture = fs.readFileSync(
  path.join(root, 'tests/data/fetch/order_sign_alemtuzumab_without_prefetch.json'), 'utf8');
const withoutPrefetch = JSON.parse(
  fixture.replaceAll('__FHIR_SERVER__', fhirBase).replaceAll('__PATIENT_ID__', 'pat-alem-4mo'));
const url = `${cdsBase}/cds-services/steroid-advisor-order-sign`;

function essentials(body) {
  return (body.cards || []).map((c) => `${c.source.topic.code}/${c.indicator}`).sort().join(',');
}

async function post(body) {
  const started = process.hrtime.bigint();
  const response = await fetch(url, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    signal: AbortSignal.timeout(30000),
  });
  const text = await response.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let cards = '';
  try { cards = essentials(JSON.parse(text)); } catch { cards = '<not json>'; }
  return { status: response.status, cards, ms };
}

async function prefetchedCards() {
  // The same call with the record read once from the FHIR server and sent as prefetch.
  const prefetch = {};
  for (const [key, type] of [['medicationRequests', 'MedicationRequest'],
    ['medicationAdministrations', 'MedicationAdministration'],
    ['medicationStatements', 'MedicationStatement']]) {
    const r = await fetch(`${fhirBase}/${type}?patient=pat-alem-4mo&_count=1000`);
    prefetch[key] = await r.json();
  }
  return (await post({ ...withoutPrefetch, prefetch })).cards;
}

(async () => {
  const expected = await prefetchedCards();
  const deadline = Date.now() + Number(seconds) * 1000;
  const latencies = [];
  let calls = 0; let not200 = 0; let differentCards = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const r = await post(withoutPrefetch);
      calls += 1;
      latencies.push(r.ms);
      if (r.status !== 200) not200 += 1;
      else if (r.cards !== expected) differentCards += 1;
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, worker));
  latencies.sort((a, b) => a - b);
  const p50 = latencies[Math.floor(latencies.length / 2)] || 0;
  console.log(JSON.stringify({
    calls, not200, differentCards, expectedCards: expected,
    p50Ms: Math.round(p50), maxMs: Math.round(latencies[latencies.length - 1] || 0),
  }));
})().catch((error) => { console.error(error); process.exit(1); });
