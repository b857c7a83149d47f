// deploy/systemd/steroid-advisor.service through systemd's own checks: `systemd-analyze verify`
// (no unknown or malformed setting) and `systemd-analyze security --offline` (exposure score).
// Both read the unit file only; neither needs systemd running. Skipped where systemd-analyze is
// not installed.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const repo = path.resolve(__dirname, '../..');
const unitName = 'steroid-advisor.service';
const unitText = fs.readFileSync(path.join(repo, 'deploy/systemd', unitName), 'utf8');
const installedBinary = '/usr/local/bin/cds_server';

const haveAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

// The unit, with ExecStart pointing at a binary that exists here (verify checks that it does):
// the one built in build/, else /bin/true.
function unitCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steroid-advisor-unit-'));
  const built = path.join(repo, 'build/cds_server');
  const binary = fs.existsSync(built) ? built : '/bin/true';
  const file = path.join(dir, unitName);
  fs.writeFileSync(file, unitText.replaceAll(installedBinary, binary));
  return file;
}

// systemd-analyze on a fresh copy of the unit, removed afterwards.
function analyze(args) {
  const file = unitCopy();
  try {
    return spawnSync('systemd-analyze', [...args, file], { encoding: 'utf8' });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

test('systemd-analyze verify finds nothing to say', { skip: !haveAnalyze && 'no systemd-analyze' }, () => {
  const result = analyze(['verify']);
  assert.equal(result.stderr.trim(), '', 'no warnings');
  assert.equal(result.status, 0);
});

test('systemd-analyze security rates the unit at most 2.0 (OK)', { skip: !haveAnalyze && 'no systemd-analyze' }, () => {
  const result = analyze(['security', '--offline=true', '--no-pager']);
  const score = /Overall exposure level for \S+: (\d+\.\d+)/.exec(result.stdout);
  assert.ok(score, result.stdout + result.stderr);
  assert.ok(Number(score[1]) <= 2.0, `exposure ${score[1]}`);
});

test('the unit reloads on SIGHUP, stops on SIGTERM within 30 s, and keeps its hardening', () => {
  const settings = new Map();
  for (const line of unitText.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) settings.set(m[1], [...(settings.get(m[1]) ?? []), m[2]]);
  }
  const one = (key) => settings.get(key)?.at(-1);
  assert.equal(one('ExecReload'), '/bin/kill -HUP $MAINPID');
  assert.equal(one('KillSignal'), 'SIGTERM');
  assert.equal(one('TimeoutStopSec'), '30');
  assert.match(one('EnvironmentFile'), /^\/etc\/default\/steroid-advisor$/);
  assert.equal(one('StateDirectory'), 'steroid-advisor');
  assert.equal(one('ConfigurationDirectory'), 'steroid-advisor');
  assert.equal(one('CapabilityBoundingSet'), '');
  assert.equal(one('RestrictAddressFamilies'), 'AF_INET AF_INET6 AF_UNIX');
  assert.ok(settings.get('SystemCallFilter').includes('@system-service'));
  for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'MemoryDenyWriteExecute',
                     'LockPersonality', 'RestrictNamespaces', 'ProtectKernelTunables',
                     'ProtectKernelModules', 'ProtectKernelLogs', 'ProtectControlGroups']) {
    assert.equal(one(key), 'yes', key);
  }
  assert.equal(one('ProtectSystem'), 'strict');
  // ExecStart, with its continuation lines joined.
  const execStart = /^ExecStart=((?:.*\\\n)*.*)$/m.exec(unitText)[1].replace(/\\\n\s*/g, '');
  assert.match(execStart, /--config \/etc\/steroid-advisor\/config\.json/);
  assert.match(execStart, /--data-dir \/var\/lib\/steroid-advisor/);
  assert.doesNotMatch(execStart, /--admin-host/, 'the admin listener stays on loopback');
});
