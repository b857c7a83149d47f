#!/usr/bin/env node
'use strict';
/*
 * Usage:
 *   cli.js <kind> [file...]   kind = discovery | cds-response | feedback | error
 *                             validates each file (stdin when no file is given)
 *   cli.js dir <directory>    validates every *.json in <directory>; each file is
 *                             { "kind": "<kind>", "body": { ... } }
 *                             last line printed: "N passed, N failed"
 *
 * Exit status: 0 when everything is valid, 1 on any problem (including unreadable
 * or unparsable files, and a directory without *.json files), 2 on usage errors.
 * Set CDS_VALIDATOR_TIMING=1 to print the FHIR schema compile times on stderr.
 */
const fs = require('fs');
const path = require('path');
const { validate, KINDS, fhirCompileTimes } = require('./validate');

const USAGE = `usage: cli.js <${KINDS.join('|')}> [file...]
       cli.js dir <directory>`;

function readJson(file) {
  const text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  return JSON.parse(text);
}

function printTimings() {
  if (process.env.CDS_VALIDATOR_TIMING) {
    const t = fhirCompileTimes();
    if (Object.keys(t).length) {
      process.stderr.write(`FHIR schema load/compile ms: ${JSON.stringify(t)}\n`);
    }
  }
}

function runKind(kind, files) {
  const inputs = files.length ? files : ['-'];
  let failed = false;
  for (const file of inputs) {
    const label = file === '-' ? '<stdin>' : file;
    let problems;
    try {
      problems = validate(kind, readJson(file));
    } catch (e) {
      problems = [`$: cannot read/parse JSON: ${e.message}`];
    }
    if (problems.length) {
      failed = true;
      for (const p of problems) console.log(`${label}: ${p}`);
    } else {
      console.log(`${label}: OK (${kind})`);
    }
  }
  return failed ? 1 : 0;
}

function runDir(dir) {
  let names;
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    console.log(`${dir}: cannot read directory: ${e.message}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  let passed = 0;
  let failedCount = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    let problems;
    let kind = '?';
    try {
      const envelope = readJson(file);
      if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) {
        problems = ['envelope: must be an object { "kind": ..., "body": ... }'];
      } else if (!('body' in envelope)) {
        problems = ['envelope.body: required property is missing'];
      } else {
        kind = envelope.kind;
        problems = validate(envelope.kind, envelope.body); // paths are relative to body
      }
    } catch (e) {
      problems = [`$: cannot read/parse JSON: ${e.message}`];
    }
    if (problems.length) {
      failedCount += 1;
      console.log(`FAIL ${name} (${kind})`);
      for (const p of problems) console.log(`  ${p}`);
    } else {
      passed += 1;
      console.log(`PASS ${name} (${kind})`);
    }
  }
  if (names.length === 0) {
    console.log(`${dir}: no *.json files found (treated as failure: nothing was checked)`);
  }
  console.log(`${passed} passed, ${failedCount} failed`);
  return failedCount > 0 || names.length === 0 ? 1 : 0;
}

function main(argv) {
  const [mode, ...rest] = argv;
  if (!mode || mode === '-h' || mode === '--help') {
    console.error(USAGE);
    return mode ? 0 : 2;
  }
  if (mode === 'dir') {
    if (rest.length !== 1) {
      console.error(USAGE);
      return 2;
    }
    return runDir(rest[0]);
  }
  if (!KINDS.includes(mode)) {
    console.error(`unknown kind "${mode}"\n${USAGE}`);
    return 2;
  }
  return runKind(mode, rest);
}

const code = main(process.argv.slice(2));
printTimings();
process.exitCode = code;
