'use strict';
/**
 * A CDS Hooks 2.0 client, written from the specification (https://cds-hooks.hl7.org/2.0/):
 *   - discovery first (GET {base}/cds-services), every service read from it;
 *   - prefetch filled from the service's own templates: {{context.*}} tokens replaced, each
 *     query run against the FHIR server like an EHR does, following `next` links so the service
 *     gets the whole searchset; a query that fails is left out (the service may then fetch it);
 *   - without prefetch: fhirServer + fhirAuthorization (access_token, token_type Bearer,
 *     expires_in, scope, subject), so the service reads the record itself;
 *   - optionally an `Authorization: Bearer <JWT>` on every call, as the sandbox sends it;
 *   - feedback POSTed to {base}/cds-services/{id}/feedback.
 * Every answer is validated with ../../validator (schemas + FHIR R4 + no empty values).
 */
const crypto = require('node:crypto');
const validator = require('../../validator/validate.js');

const MAX_PAGES = 10;

async function httpJson(method, url, { body, token, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let json;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

// Problems with an answer, as a list of strings (empty: conformant). A 2xx hook answer must be
// a valid CDS response, any other status a 4xx with a valid error body: a 5xx is never right.
function responseProblems(kind, answer) {
  if (answer.status >= 500) return [`status ${answer.status}: a client's input must never cause a 5xx`];
  if (answer.json === undefined) return [`status ${answer.status}: body is not JSON: ${answer.text.slice(0, 200)}`];
  if (answer.status >= 200 && answer.status < 300) return validator.validate(kind, answer.json);
  if (answer.status >= 400) return validator.validateError(answer.json);
  return [`unexpected status ${answer.status}`];
}

// `{{context.patientId}}` and friends; the 2.0 prefetch tokens for the user are
// {{userPractitionerId}} etc., derived from context.userId.
function fillTemplate(template, context) {
  return template.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (whole, token) => {
    if (token.startsWith('context.')) {
      const value = context[token.slice('context.'.length)];
      return value === undefined ? whole : encodeURIComponent(String(value));
    }
    const [type, id] = String(context.userId || '').split('/');
    const userTokens = {
      userPractitionerId: type === 'Practitioner' ? id : undefined,
      userPatientId: type === 'Patient' ? id : undefined,
      userRelatedPersonId: type === 'RelatedPerson' ? id : undefined,
      userPractitionerRoleId: type === 'PractitionerRole' ? id : undefined,
    };
    return userTokens[token] === undefined ? whole : encodeURIComponent(userTokens[token]);
  });
}

// Runs one prefetch query and returns a single searchset Bundle holding every page, or
// undefined when the FHIR server does not answer with one.
async function searchAllPages(fhirBase, query, accessToken) {
  let url = `${fhirBase}/${query}`;
  const entries = [];
  let first;
  for (let page = 0; url && page < MAX_PAGES; ++page) {
    const answer = await httpJson('GET', url, { token: accessToken, headers: { Accept: 'application/fhir+json' } });
    if (answer.status !== 200 || !answer.json || answer.json.resourceType !== 'Bundle') return undefined;
    first = first || answer.json;
    entries.push(...(answer.json.entry || []));
    const next = (answer.json.link || []).find((link) => link.relation === 'next');
    url = next ? next.url : undefined;
  }
  const bundle = { resourceType: 'Bundle', type: 'searchset', total: entries.length };
  if (first.id) bundle.id = first.id;
  if (entries.length > 0) bundle.entry = entries;
  return bundle;
}

class CdsClient {
  constructor({ baseUrl, fhirBase, signer = null }) {
    this.baseUrl = baseUrl;
    this.fhirBase = fhirBase;
    this.signer = signer;
    this.services = null;
  }

  serviceUrl(id) {
    return `${this.baseUrl}/cds-services/${id}`;
  }

  tokenFor(url) {
    return this.signer ? this.signer.sign(url) : undefined;
  }

  async discover() {
    const url = `${this.baseUrl}/cds-services`;
    const answer = await httpJson('GET', url, { token: this.tokenFor(url) });
    answer.problems = answer.status === 200 ? validator.validateDiscovery(answer.json)
                                            : [`discovery answered ${answer.status}`];
    if (answer.status === 200 && answer.json) this.services = answer.json.services;
    return answer;
  }

  service(id) {
    if (!this.services) throw new Error('call discover() first');
    const service = this.services.find((s) => s.id === id);
    if (!service) throw new Error(`discovery does not list ${id}`);
    return service;
  }

  async prefetchFor(serviceId, context, accessToken) {
    const prefetch = {};
    for (const [key, template] of Object.entries(this.service(serviceId).prefetch || {})) {
      const bundle = await searchAllPages(this.fhirBase, fillTemplate(template, context), accessToken);
      if (bundle) prefetch[key] = bundle;
    }
    return prefetch;
  }

  fhirAuthorization(patientId) {
    return {
      access_token: crypto.randomBytes(24).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
      scope: `patient/MedicationRequest.read patient/MedicationAdministration.read patient/MedicationStatement.read`,
      subject: 'steroid-advisor',
      ...(patientId ? { patient: patientId } : {}),
    };
  }

  // mode: 'prefetch' (filled from discovery templates), 'fhirServer' (no prefetch; the service
  // fetches), or 'none' (neither).
  async call(serviceId, hook, context, { mode = 'prefetch', rawBody } = {}) {
    const url = this.serviceUrl(serviceId);
    let body = rawBody;
    if (body === undefined) {
      body = { hookInstance: crypto.randomUUID(), hook, context };
      if (mode === 'prefetch') {
        body.fhirServer = this.fhirBase;
        body.prefetch = await this.prefetchFor(serviceId, context);
      } else if (mode === 'fhirServer') {
        body.fhirServer = this.fhirBase;
        body.fhirAuthorization = this.fhirAuthorization(context.patientId);
      }
    }
    const answer = await httpJson('POST', url, { body, token: this.tokenFor(url) });
    answer.problems = responseProblems('cds-response', answer);
    answer.requestBody = body;
    return answer;
  }

  async feedback(serviceId, feedbackBody) {
    const url = `${this.serviceUrl(serviceId)}/feedback`;
    const answer = await httpJson('POST', url, { body: feedbackBody, token: this.tokenFor(url) });
    answer.problems = answer.status === 200 ? [] : responseProblems('feedback', answer);
    return answer;
  }
}

module.exports = { CdsClient, fillTemplate, searchAllPages, responseProblems, httpJson, validator };
