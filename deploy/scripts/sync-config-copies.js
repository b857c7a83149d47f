#!/usr/bin/env node
'use strict';
// Rewrites the two deployment copies of the config (the Kubernetes ConfigMap and the compose
// example) as deploy/config/default.json with their own "feedback" section (PostgreSQL), so
// they follow every change of the defaults. tests/deploy checks that they do.
//   node deploy/scripts/sync-config-copies.js
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '../..');
const defaults = JSON.parse(fs.readFileSync(path.join(repo, 'deploy/config/default.json'), 'utf8'));

function merged(copyText) {
  const { feedback } = JSON.parse(copyText);
  return JSON.stringify({ ...defaults, feedback: { ...defaults.feedback, ...feedback } }, null, 2);
}

const composeConfig = path.join(repo, 'deploy/docker/config.postgresql.json');
fs.writeFileSync(composeConfig, `${merged(fs.readFileSync(composeConfig, 'utf8'))}\n`);

// The ConfigMap holds the JSON as a literal block under `config.json: |`, indented 4 spaces.
const configMap = path.join(repo, 'deploy/k8s/configmap.yaml');
const yaml = fs.readFileSync(configMap, 'utf8');
const marker = '  config.json: |\n';
const at = yaml.indexOf(marker);
if (at < 0) throw new Error('configmap.yaml: no "config.json: |" block');
const head = yaml.slice(0, at + marker.length);
const block = yaml.slice(at + marker.length).split('\n');
const jsonLines = [];
let rest = [];
for (let i = 0; i < block.length; i += 1) {
  if (block[i].startsWith('    ') || block[i] === '') {
    jsonLines.push(block[i].slice(4));
  } else {
    rest = block.slice(i);
    break;
  }
}
const json = merged(jsonLines.join('\n'));
const indented = json.split('\n').map((line) => `    ${line}`).join('\n');
fs.writeFileSync(configMap, `${head}${indented}\n${rest.length ? rest.join('\n') : ''}`);
