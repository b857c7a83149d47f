'use strict';
/**
 * Starting and stopping the two real servers the suite talks to, on loopback:
 *   - build/cds_server (path from $CDS_SERVER, default ../../../build/cds_server relative to
 *     this package), on a port asked of the OS, under a small shell watchdog that stops it when
 *     our end of its stdin closes (so an interrupted run never leaves it running);
 *   - tests/fhir_server/server.js (medplum, the test patients of tests/fhir_server/data) with
 *     --port 0 and --exit-on-stdin-close, so a crashed test never leaves it running.
 * Each start waits for the server's "listening" line with a deadline, never a fixed sleep.
 * CONFORMANCE_VERBOSE=1 copies both servers' stderr (request and fetch logs) to ours.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const START_TIMEOUT_MS = 20000;

function cdsServerPath() {
  const fromEnv = process.env.CDS_SERVER;
  const binary = fromEnv ? path.resolve(fromEnv) : path.resolve(__dirname, '..', '..', '..', '..', 'build', 'cds_server');
  if (!fs.existsSync(binary)) {
    throw new Error(`cds_server not found at ${binary}: build it (deploy/scripts/build.sh) or set CDS_SERVER`);
  }
  return binary;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Resolves with the first stdout match of `pattern`; rejects if the process exits or the
// deadline passes first. stderr is kept for the error message.
function waitForLine(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      reject(new Error(`${what} did not start within ${START_TIMEOUT_MS} ms\n${stderr}`));
    }, START_TIMEOUT_MS);
    const onExit = (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before listening\n${stderr}`));
    };
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 20000) stderr += chunk;
    });
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(pattern);
      if (match) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(match);
      }
    });
    child.once('exit', onExit);
  });
}

// A test process that ends early (a closed output pipe, Ctrl-C) closes its children's stdin on
// the way out; if it is killed outright, the OS closes the pipes and the servers exit anyway.
const children = new Set();
function killChildrenNow() {
  for (const child of children) {
    // Closing stdin is what both servers (cds_server through its watchdog shell) exit on.
    if (child.exitCode === null && child.signalCode === null) child.stdin.destroy();
  }
}
process.once('exit', killChildrenNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killChildrenNow();
    process.kill(process.pid, signal);
  });
}
function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

const STOP_TIMEOUT_MS = 10000;

// cds_server has no --exit-on-stdin-close, so it runs under this shell, which gives it one:
// when the shell's stdin (our pipe) closes, because we stop it or because this process died
// however it died, the server gets SIGTERM (a clean stop, as an operator would), then SIGKILL
// if it is still running 5 s later. The shell exits when the server does.
const WATCHDOG = [
  'bin="$1"; shift',
  // A background list reads /dev/null unless told otherwise: keep the pipe on fd 3 for cat.
  'exec 3<&0',
  '"$bin" "$@" </dev/null 3<&- & pid=$!',
  '( cat <&3 >/dev/null; kill -TERM "$pid" 2>/dev/null; i=0;',
  '  while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i+1)); done;',
  '  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" ) &',
  'wait "$pid"',
].join('\n');

// Stops a server started here: closes its stdin (both servers exit on that), and kills it if it
// has not exited in time.
function stop(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin.end();
  });
}

// The fetch budget of the default config (2 s) is for production; a shared CI machine running
// the medplum server can be slower than that, and a timed-out fetch turns a scenario into a 412.
// The suite checks behaviour, not speed (bench/ does), so it grants the fetch more time.
const LOADED_MACHINE_FETCH = { connectTimeoutMs: 5000, totalTimeoutMs: 15000 };

// The built-in default config (deploy/config/default.json) with `fhir` members overridden and
// `sections` added or replaced whole, written to a temporary file for --config.
function configFile(fhirOverrides = {}, sections = {}) {
  const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'deploy', 'config', 'default.json'), 'utf8'));
  config.fhir = { ...config.fhir, ...fhirOverrides };
  Object.assign(config, sections);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-conformance-'));
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return { file, dir };
}

// fhirOverrides: members of the config's `fhir` section (e.g. a longer totalTimeoutMs for a
// loaded CI machine); sections: top-level config sections (e.g. `auth`); neither: built-in
// defaults, no --config.
async function startCdsServer({ fhirOverrides, sections } = {}) {
  const binary = cdsServerPath();
  const config = fhirOverrides || sections ? configFile(fhirOverrides, sections) : null;
  const extraArgs = config ? ['--config', config.file] : [];
  const cleanup = () => config && fs.rmSync(config.dir, { recursive: true, force: true });
  // The OS picks the port; a lost race with another process is retried on a new port.
  for (let attempt = 0; ; ++attempt) {
    const port = await freePort();
    const child = track(spawn('/bin/sh',
      ['-c', WATCHDOG, 'cds-watchdog', binary, '--port', String(port), '--host', '127.0.0.1', ...extraArgs],
      { stdio: ['pipe', 'pipe', 'pipe'] }));
    try {
      await waitForLine(child, /listening on (http:\/\/\S+)/, 'cds_server');
      child.stdout.resume();
      if (process.env.CONFORMANCE_VERBOSE) child.stderr.pipe(process.stderr); else child.stderr.resume();
      return { process: child, baseUrl: `http://127.0.0.1:${port}`, stop: () => stop(child).then(cleanup) };
    } catch (error) {
      await stop(child);
      if (attempt >= 2) {
        cleanup();
        throw error;
      }
    }
  }
}

async function startFhirServer() {
  const dir = path.join(REPO_ROOT, 'tests', 'fhir_server');
  if (!fs.existsSync(path.join(dir, 'node_modules'))) {
    throw new Error(`run npm ci in ${dir} first`);
  }
  const child = track(spawn(process.execPath,
    [path.join(dir, 'server.js'), '--port', '0', '--data', path.join(dir, 'data'), '--exit-on-stdin-close',
     ...(process.env.CONFORMANCE_VERBOSE ? ['--verbose'] : [])],
    { stdio: ['pipe', 'pipe', 'pipe'] }));
  const match = await waitForLine(child, /FHIR_SERVER_LISTENING port=(\d+)/, 'FHIR test server');
  child.stdout.resume();
  if (process.env.CONFORMANCE_VERBOSE) child.stderr.pipe(process.stderr); else child.stderr.resume();
  const base = `http://127.0.0.1:${match[1]}`;
  return {
    process: child,
    fhirBase: `${base}/fhir`,
    controlUrl: `${base}/__control`,
    stop: () => stop(child),
  };
}

module.exports = { REPO_ROOT, LOADED_MACHINE_FETCH, startCdsServer, startFhirServer, freePort };
