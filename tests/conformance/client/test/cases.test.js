'use strict';
// Every clinical case of tests/data/cases posted over HTTP, with its own prefetch, to the real
// cds_server; each answer is validated for shape (CDS Hooks 2.0 schema, FHIR R4 resources in
// suggestions, no empty values). Whether the cards are the right ones is the C++ suite's job
// (tests/plugin/hooks/rule_cases_test.cc); here a 200 with conformant JSON is required.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT, startCdsServer, freePort } = require('../lib/processes');
const { httpJson, responseProblems, validator } = require('../lib/cds_client');
const { withoutKnownIssues } = require('../lib/known_issues');

const CASES_DIR = path.join(REPO_ROOT, 'tests', 'data', 'cases');
const PARALLEL = 4;

function caseFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return caseFiles(full);
    return entry.name.endsWith('.json') ? [full] : [];
  }).sort();
}

let cds;
let closedPort;

before(async () => {
  cds = await startCdsServer();
  // Cases name fhirServer http://127.0.0.1:8081/fhir; point it at a loopback port nobody
  // listens on, so a key a case leaves out is "unavailable" the same way on every machine.
  closedPort = await freePort();
  validator.warmUpFhir();
});

after(async () => {
  await (cds && cds.stop());
});

test('every clinical case gets a conformant 200', async () => {
  const files = caseFiles(CASES_DIR);
  assert.ok(files.length >= 100, `expected the case corpus, found ${files.length} files`);
  const failures = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      const name = path.relative(CASES_DIR, file);
      const testCase = JSON.parse(fs.readFileSync(file, 'utf8'));
      const body = { ...testCase.request };
      if (body.fhirServer) body.fhirServer = `http://127.0.0.1:${closedPort}/fhir`;
      const answer = await httpJson('POST', `${cds.baseUrl}/cds-services/${testCase.service}`, { body });
      // Known issues (../lib/known_issues.js) are tracked by their own todo test.
      const { problems } = withoutKnownIssues(responseProblems('cds-response', answer));
      if (answer.status !== 200) problems.unshift(`status ${answer.status}: ${answer.text.slice(0, 200)}`);
      if (problems.length > 0) failures.push(`${name}:\n  ${problems.join('\n  ')}`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  assert.deepEqual(failures, [], `${failures.length} of ${files.length} cases failed:\n${failures.join('\n')}`);
});
