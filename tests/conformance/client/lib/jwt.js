'use strict';
/**
 * The JWT a CDS Client sends in `Authorization: Bearer` (CDS Hooks 2.0 "Trusting CDS Clients"),
 * signed the way the CDS Hooks sandbox signs it: ES384 over an EC P-384 key generated here,
 * header {alg, typ, kid, jku}, claims {iss, sub, aud = the service URL, exp, iat, jti}, and the
 * JWS signature as raw r||s (ieee-p1363), not DER.
 */
const crypto = require('node:crypto');

function base64url(input) {
  return Buffer.from(input).toString('base64url');
}

class ClientSigner {
  constructor({ iss = 'https://sandbox.cds-hooks.org', sub = 'steroid-advisor-conformance-client',
                kid = crypto.randomUUID(), jku = 'https://sandbox.cds-hooks.org/.well-known/jwks.json' } = {}) {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
    this.privateKey = privateKey;
    this.iss = iss;
    this.sub = sub;
    this.kid = kid;
    this.jku = jku;
    // What the client publishes at jku, and what a service lists under auth.trustedIssuers.
    this.jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES384', use: 'sig' }] };
  }

  // A fresh token for one call to `audience` (the full service URL); lifetime 5 minutes.
  sign(audience, { now = Math.floor(Date.now() / 1000), lifetimeSeconds = 300 } = {}) {
    const header = { alg: 'ES384', typ: 'JWT', kid: this.kid, jku: this.jku };
    const claims = {
      iss: this.iss,
      sub: this.sub,
      aud: audience,
      exp: now + lifetimeSeconds,
      iat: now,
      jti: crypto.randomUUID(),
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = crypto.sign('sha384', Buffer.from(input),
      { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }
}

// Verifies a token as a service would (used by the suite to prove its own tokens are sound).
function verify(token, jwks) {
  const [header, payload, signature] = token.split('.');
  const key = crypto.createPublicKey({ key: jwks.keys[0], format: 'jwk' });
  return crypto.verify('sha384', Buffer.from(`${header}.${payload}`),
    { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
}

module.exports = { ClientSigner, verify };
