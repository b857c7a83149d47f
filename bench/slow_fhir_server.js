'use strict';
// A deliberately slow stand-in for an EHR's FHIR server, for bench/load.sh's isolation scenario
// only: answers every search GET /fhir/<Type>?... with the searchset of that type from
// tests/fhir_server/data/<patient>.json after DELAY ms, at no CPU cost of its own. (The real FHIR
// test server, tests/fhir_server, spends ~0.5 s of CPU per search on this machine, so with 64
// calls waiting it, not the service, would be what is measured.) Loopback only.
//   node bench/slow_fhir_server.js PORT DELAY_MS PATIENT_ID   -> prints "SLOW_FHIR_LISTENING"
const http = require('http');
const path = require('path');

const [port, delayMs, patientId] = process.argv.slice(2);
const transaction = require(path.resolve(__dirname, '../tests/fhir_server/data', `${patientId}.json`));
const byType = new Map();
for (const { resource } of transaction.entry || []) {
  if (!byType.has(resource.resourceType)) byType.set(resource.resourceType, []);
  byType.get(resource.resourceType).push(resource);
}

const server = http.createServer((req, res) => {
  req.resume();
  const url = new URL(req.url, `http://${req.headers.host}`);
  const type = url.pathname.replace(/^\/fhir\//, '').split('/')[0];
  const entries = (byType.get(type) || []).map((resource) => ({
    fullUrl: `http://${req.headers.host}/fhir/${type}/${resource.id}`,
    resource, search: { mode: 'match' },
  }));
  const body = JSON.stringify({
    resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries,
    link: [{ relation: 'self', url: url.href }],
  });
  setTimeout(() => {
    res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
    res.end(body);
  }, Number(delayMs));
});
server.keepAliveTimeout = 60000;
server.listen(Number(port), '127.0.0.1', () => console.log('SLOW_FHIR_LISTENING'));
