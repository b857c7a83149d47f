// Validates Kubernetes objects offline against the Kubernetes API schemas, from two npm packages
// generated from the Kubernetes OpenAPI spec (pinned by package-lock.json):
//   - kubernetes-models: a JSON Schema validator per kind (Ajv, precompiled): required fields,
//     types, enums and formats such as quantities ("100m", "256Mi") and int-or-string ports.
//   - @kubernetes/client-node: the field list of every API type (getAttributeTypeMap). Its
//     models reject nothing, but they name every field the API knows, so a field they don't
//     name is a typo or a field of another version: an error, as `kubectl --validate=strict`.
// Neither needs a cluster or the network.
'use strict';

const path = require('node:path');

let clientModels;  // the @kubernetes/client-node models, loaded once (an ES module)

async function loadClientModels() {
  if (!clientModels) {
    // Only the generated models: the package's index also loads its HTTP and auth stack.
    const entry = path.join(
      path.dirname(require.resolve('@kubernetes/client-node/package.json')),
      'dist/gen/models/all.js');
    clientModels = await import(entry);
  }
  return clientModels;
}

// "apps/v1" -> { group: "apps", version: "v1" }; "v1" -> { group: "", version: "v1" }.
function splitApiVersion(apiVersion) {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion }
                   : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

// The kubernetes-models class for apiVersion/kind, or undefined.
function modelClass(apiVersion, kind) {
  const { group, version } = splitApiVersion(apiVersion);
  const modulePath = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  let module;
  try {
    module = require(modulePath);
  } catch {
    return undefined;
  }
  const cls = module[kind];
  return typeof cls === 'function' && cls.apiVersion === apiVersion && cls.kind === kind
    ? cls : undefined;
}

// Schema errors as "path: message" strings (none when valid).
function schemaErrors(object) {
  const cls = modelClass(object.apiVersion, object.kind);
  if (!cls) return [`no Kubernetes schema for ${object.apiVersion} ${object.kind}`];
  try {
    new cls(object).validate();
    return [];
  } catch (error) {
    if (!Array.isArray(error.errors)) throw error;
    return error.errors.map((e) => `${e.instancePath || '/'}: ${e.message}`);
  }
}

// Fields the API does not define, as JSON pointers ("/spec/replicaz").
async function unknownFields(object) {
  const models = await loadClientModels();
  const { version } = splitApiVersion(object.apiVersion);
  const typeName = version[0].toUpperCase() + version.slice(1) + object.kind;  // V1Deployment
  if (typeof models[typeName]?.getAttributeTypeMap !== 'function') {
    return [`no field list for ${object.apiVersion} ${object.kind} (${typeName})`];
  }
  const found = [];
  walk(models, object, typeName, '', found);
  return found.map((pointer) => `${pointer}: unknown field`);
}

function walk(models, value, type, pointer, found) {
  if (value === null || typeof value !== 'object') return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(models, v, array[1], `${pointer}/${i}`, found));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    for (const [k, v] of Object.entries(value)) walk(models, v, map[1], `${pointer}/${k}`, found);
    return;
  }
  const model = models[type];
  // Scalars, IntOrString, Date and free-form objects have no field list.
  if (typeof model?.getAttributeTypeMap !== 'function' || Array.isArray(value)) return;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!fields.has(k)) {
      found.push(`${pointer}/${k}`);
    } else {
      walk(models, v, fields.get(k), `${pointer}/${k}`, found);
    }
  }
}

// Every problem with one object: schema errors, then unknown fields.
async function validateObject(object) {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    return ['not a Kubernetes object'];
  }
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
    return ['apiVersion and kind are required strings'];
  }
  return [...schemaErrors(object), ...(await unknownFields(object))];
}

module.exports = { validateObject };
