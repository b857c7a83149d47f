// What the browser tests share: the real cds_server on loopback ports the OS handed out (with
// the admin token in its environment and its feedback store in a work directory), and headless
// Chromium kept off the network. Environment:
//   CDS_SERVER     the cds_server binary (default: <repo>/build/cds_server)
//   CHROMIUM_PATH  the browser (default: /usr/bin/chromium; never downloaded)
'use strict';

const assert = require('node:assert/strict');
const {spawn} = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const {chromium} = require('playwright-core');

const REPO = path.resolve(__dirname, '..', '..');
const CDS_SERVER = process.env.CDS_SERVER || path.join(REPO, 'build', 'cds_server');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Flags that keep Chromium off the network: without the background-networking ones its
// connections are refused by closed CI networks and it stalls.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// A loopback port the OS just handed out (cds_server cannot report a port it bound for 0).
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Starts cds_server and resolves once its admin API listens and its feedback store is ready;
// rejects if it exits first.
function spawnServer({port, adminPort, workDir, token, configPath}) {
  const args = ['--port', String(port), '--admin-port', String(adminPort),
                '--data-dir', path.join(workDir, 'data')];
  if (configPath) args.push('--config', configPath);
  return new Promise((resolve, reject) => {
    const child = spawn(CDS_SERVER, args, {
      env: {...process.env, STEROID_ADVISOR_ADMIN_TOKEN: token},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const check = () => {
      if (stdout.includes('cds_server admin listening on') &&
          stderr.includes('feedback: store ready')) resolve(child);
    };
    child.stdout.on('data', (chunk) => { stdout += chunk; check(); });
    child.stderr.on('data', (chunk) => { stderr += chunk; check(); });
    child.once('exit', (code) => reject(new Error(`cds_server exited (${code}): ${stderr}`)));
  });
}

// Starts cds_server (options: workDir, token, configPath) on free ports, trying others when a
// port was taken in between; resolves to {server, cdsUrl, adminUrl}.
async function startServer(options) {
  assert.ok(fs.existsSync(CDS_SERVER), `no cds_server at ${CDS_SERVER}: build first or set CDS_SERVER`);
  let lastError;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const adminPort = await freePort();
    try {
      const server = await spawnServer({...options, port, adminPort});
      return {
        server,
        cdsUrl: `http://127.0.0.1:${port}`,
        adminUrl: `http://127.0.0.1:${adminPort}/admin/`,
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`cds_server did not start: ${lastError}`);
}

// SIGTERM, then waits for the exit.
async function stopServer(server) {
  if (!server) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

function launchBrowser() {
  return chromium.launch({executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS});
}

module.exports = {REPO, freePort, startServer, stopServer, launchBrowser};
