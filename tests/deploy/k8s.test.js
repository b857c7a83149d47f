// Every YAML document under deploy/k8s/ is checked offline against the Kubernetes API schemas
// (k8s_schema.js: required fields, types, formats, and no unknown fields), and against the
// project's own rules: probes on /health/live and /health/ready, a non-root read-only container
// without capabilities, at least 2 replicas, resources set, the config mounted as a directory
// (hot reload), placeholder-only Secrets, and an Ingress that exposes neither the admin port nor
// /health and /metrics.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const YAML = require('yaml');
const { validateObject } = require('./k8s_schema.js');

const repo = path.resolve(__dirname, '../..');
const k8sDir = path.join(repo, 'deploy/k8s');
const namespace = 'steroid-advisor';
const kustomizationFile = 'kustomization.yaml';
const exampleSecretFile = 'secret.example.yaml';

function yamlFiles() {
  return fs.readdirSync(k8sDir).filter((f) => /\.ya?ml$/.test(f)).sort();
}

// Every document of every manifest file (not the kustomization), with its file name.
function loadManifests() {
  const out = [];
  for (const file of yamlFiles()) {
    if (file === kustomizationFile) continue;
    const text = fs.readFileSync(path.join(k8sDir, file), 'utf8');
    for (const doc of YAML.parseAllDocuments(text)) {
      assert.deepEqual(doc.errors, [], `${file}: YAML errors`);
      const object = doc.toJS();
      if (object !== null) out.push({ file, object });
    }
  }
  return out;
}

const manifests = loadManifests();
const kustomization = YAML.parse(fs.readFileSync(path.join(k8sDir, kustomizationFile), 'utf8'));

function only(kind) {
  const found = manifests.filter((m) => m.object.kind === kind);
  assert.equal(found.length, 1, `exactly one ${kind} in deploy/k8s`);
  return found[0].object;
}
function all(kind) {
  return manifests.filter((m) => m.object.kind === kind).map((m) => m.object);
}

const deployment = only('Deployment');
const podSpec = deployment.spec.template.spec;
const container = podSpec.containers.find((c) => c.name === 'cds-server');

// Flag values from an argv list: ["--port", "8080"] -> "8080".
function flag(args, name) {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

function matches(selector, labels) {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

// The config as deploy/config/default.json plus a PostgreSQL feedback section; anything else
// means the copy has drifted from the defaults.
function assertDefaultsPlusPostgresql(text, where) {
  const config = JSON.parse(text);
  assert.equal(config.feedback?.store, 'postgresql', `${where}: feedback.store`);
  assert.match(config.feedback?.postgresqlUrl ?? '', /^postgresql:\/\/[^:@/]+@/,
               `${where}: feedback.postgresqlUrl without a password`);
  const defaults = JSON.parse(fs.readFileSync(path.join(repo, 'deploy/config/default.json'), 'utf8'));
  const { feedback, ...rest } = config;
  const { feedback: defaultFeedback, ...defaultRest } = defaults;
  assert.deepEqual(rest, defaultRest,
                   `${where} has drifted from deploy/config/default.json: copy it again and keep ` +
                   'only the "feedback" section');
  void feedback;
  void defaultFeedback;
}

test('every document validates against the Kubernetes API schema', async (t) => {
  assert.ok(manifests.length >= 9, 'the manifests are there');
  for (const { file, object } of manifests) {
    await t.test(`${file}: ${object.kind}/${object.metadata?.name}`, async () => {
      assert.deepEqual(await validateObject(object), []);
    });
  }
});

test('the validator rejects unknown fields, missing required fields and bad quantities', async () => {
  const broken = structuredClone(deployment);
  broken.spec.replicaz = 2;
  delete broken.spec.selector;
  broken.spec.template.spec.containers[0].resources.limits.memory = '256 MB';
  broken.spec.template.spec.containers[0].livenessProbe.httpGet.paht = '/health/live';
  const problems = await validateObject(broken);
  const has = (re) => problems.some((p) => re.test(p));
  assert.ok(has(/^\/spec\/replicaz: unknown field/), problems.join('\n'));
  assert.ok(has(/^\/spec: must have required property selector/), problems.join('\n'));
  assert.ok(has(/limits\/memory: must match format "quantity"/), problems.join('\n'));
  assert.ok(has(/livenessProbe\/httpGet\/paht: unknown field/), problems.join('\n'));
});

test('the kustomization lists every manifest but the example Secret', () => {
  const listed = [...kustomization.resources].sort();
  const expected = yamlFiles().filter((f) => f !== kustomizationFile && f !== exampleSecretFile);
  assert.deepEqual(listed, expected);
  assert.equal(kustomization.namespace, namespace);
  assert.ok(kustomization.images.some((i) => i.name === container.image.split(':')[0]),
            'the kustomization can retarget the Deployment image');
});

test('kubectl kustomize renders the same objects, all valid', async (t) => {
  let rendered;
  try {
    rendered = execFileSync('kubectl', ['kustomize', k8sDir], { encoding: 'utf8' });
  } catch (error) {
    if (error.code === 'ENOENT') return t.skip('kubectl is not installed');
    throw error;
  }
  const objects = YAML.parseAllDocuments(rendered).map((d) => d.toJS()).filter(Boolean);
  const kinds = (list) => list.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  assert.deepEqual(kinds(objects),
                   kinds(manifests.filter((m) => m.file !== exampleSecretFile).map((m) => m.object)));
  for (const object of objects) {
    assert.deepEqual(await validateObject(object), [], `${object.kind}/${object.metadata.name}`);
  }
});

test('everything lives in the steroid-advisor namespace', () => {
  for (const { file, object } of manifests) {
    if (object.kind === 'Namespace') {
      assert.equal(object.metadata.name, namespace);
      assert.equal(object.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
    } else {
      assert.equal(object.metadata.namespace, namespace, `${file}: ${object.kind}`);
    }
  }
});

test('the Deployment runs at least 2 replicas and rolls without losing capacity', () => {
  assert.ok(deployment.spec.replicas >= 2);
  assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0);
  assert.equal(podSpec.terminationGracePeriodSeconds, 30);
  assert.ok(podSpec.topologySpreadConstraints?.length > 0 || podSpec.affinity?.podAntiAffinity,
            'pods are spread over nodes');
  assert.ok(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels));
});

test('the container runs cds_server as the image does, plus the admin port and audit log', () => {
  assert.ok(container, 'a container named cds-server');
  const args = container.args;
  assert.equal(flag(args, '--host'), '0.0.0.0');
  assert.equal(flag(args, '--port'), '8080');
  assert.equal(flag(args, '--config'), '/etc/steroid-advisor/config.json');
  assert.equal(flag(args, '--data-dir'), '/var/lib/steroid-advisor');
  assert.equal(flag(args, '--log-format'), 'json');
  assert.equal(flag(args, '--admin-port'), '8090');
  assert.equal(flag(args, '--admin-host'), undefined, 'the admin listener stays on loopback');
  assert.match(flag(args, '--audit-log'), /^\/var\/lib\/steroid-advisor\//);
  const ports = Object.fromEntries(container.ports.map((p) => [p.name, p.containerPort]));
  assert.deepEqual(ports, { http: 8080, admin: 8090 });
  const env = Object.fromEntries(container.env.map((e) => [e.name, e.valueFrom?.secretKeyRef]));
  assert.ok(env.STEROID_ADVISOR_ADMIN_TOKEN?.name, 'admin token from a Secret');
  assert.ok(env.STEROID_ADVISOR_POSTGRESQL_URL?.name, 'PostgreSQL URL from a Secret');
});

test('probes: startup and liveness on /health/live, readiness on /health/ready', () => {
  const httpPort = container.ports.find((p) => p.containerPort === 8080).name;
  const probe = (name, pathWanted) => {
    const get = container[name]?.httpGet;
    assert.ok(get, `${name} is an httpGet probe`);
    assert.equal(get.path, pathWanted, `${name} path`);
    assert.ok(get.port === httpPort || get.port === 8080, `${name} on the CDS port`);
  };
  probe('startupProbe', '/health/live');
  probe('livenessProbe', '/health/live');
  probe('readinessProbe', '/health/ready');
});

test('resources: CPU and memory requests and limits', () => {
  const { requests, limits } = container.resources;
  for (const key of ['cpu', 'memory']) {
    assert.ok(requests?.[key], `requests.${key}`);
    assert.ok(limits?.[key], `limits.${key}`);
  }
});

test('securityContext: non-root uid 10001, read-only root, no privilege, no capabilities', () => {
  const pod = podSpec.securityContext ?? {};
  const c = container.securityContext ?? {};
  assert.equal(c.runAsNonRoot ?? pod.runAsNonRoot, true);
  assert.equal(c.runAsUser ?? pod.runAsUser, 10001);
  assert.equal(c.readOnlyRootFilesystem, true);
  assert.equal(c.allowPrivilegeEscalation, false);
  assert.ok(c.privileged !== true);
  assert.deepEqual(c.capabilities?.drop, ['ALL']);
  assert.equal(c.capabilities?.add, undefined);
  assert.equal((c.seccompProfile ?? pod.seccompProfile)?.type, 'RuntimeDefault');
  assert.equal(podSpec.automountServiceAccountToken, false);
  assert.ok(!podSpec.hostNetwork && !podSpec.hostPID && !podSpec.hostIPC);
});

test('the config is a ConfigMap mounted as a directory (no subPath), so it hot-reloads', () => {
  const configPath = flag(container.args, '--config');
  const mount = container.volumeMounts.find((m) => m.mountPath === path.posix.dirname(configPath));
  assert.ok(mount, 'a volume is mounted on the --config directory');
  const volume = podSpec.volumes.find((v) => v.name === mount.name);
  assert.ok(volume.configMap, 'that volume is a ConfigMap');
  assert.equal(volume.configMap.items, undefined, 'every key, not a hand-picked list');
  for (const m of container.volumeMounts) {
    const v = podSpec.volumes.find((x) => x.name === m.name);
    if (v.configMap || v.secret || v.projected) {
      assert.equal(m.subPath, undefined, `${m.name}: subPath never sees updates`);
      assert.equal(m.subPathExpr, undefined, `${m.name}: subPathExpr never sees updates`);
    }
  }
  const configMap = all('ConfigMap').find((c) => c.metadata.name === volume.configMap.name);
  assert.ok(configMap, `ConfigMap ${volume.configMap.name} is in deploy/k8s`);
  const text = configMap.data[path.posix.basename(configPath)];
  assert.ok(text, `the ConfigMap has the key ${path.posix.basename(configPath)}`);
  assertDefaultsPlusPostgresql(text, `ConfigMap ${configMap.metadata.name}`);

  const dataMount = container.volumeMounts.find(
    (m) => m.mountPath === flag(container.args, '--data-dir'));
  assert.ok(podSpec.volumes.find((v) => v.name === dataMount?.name)?.emptyDir,
            '--data-dir is a writable emptyDir');
});

test('deploy/docker/config.postgresql.json is the defaults plus the PostgreSQL feedback store', () => {
  assertDefaultsPlusPostgresql(
    fs.readFileSync(path.join(repo, 'deploy/docker/config.postgresql.json'), 'utf8'),
    'deploy/docker/config.postgresql.json');
});

test('Secrets hold placeholders only, are not applied by kustomize, and match the Deployment', () => {
  const secrets = manifests.filter((m) => m.object.kind === 'Secret');
  assert.ok(secrets.length > 0);
  for (const { file, object } of secrets) {
    assert.equal(file, exampleSecretFile, 'Secrets only in the example file');
    assert.equal(object.data, undefined, `${object.metadata.name}: stringData only, no data`);
    for (const [key, value] of Object.entries(object.stringData)) {
      assert.match(value, /REPLACE_ME/, `${object.metadata.name}.${key} is a placeholder`);
    }
  }
  for (const e of container.env.filter((x) => x.valueFrom?.secretKeyRef)) {
    const ref = e.valueFrom.secretKeyRef;
    const secret = secrets.find((s) => s.object.metadata.name === ref.name);
    assert.ok(secret?.object.stringData[ref.key] !== undefined,
              `${e.name}: ${ref.name}/${ref.key} is documented in ${exampleSecretFile}`);
  }
});

test('the Service is ClusterIP on 8080 and never exposes the admin port', () => {
  const service = only('Service');
  assert.equal(service.spec.type ?? 'ClusterIP', 'ClusterIP');
  assert.deepEqual(service.spec.ports.map((p) => p.port), [8080]);
  assert.ok(matches(service.spec.selector, deployment.spec.template.metadata.labels));
  const target = service.spec.ports[0].targetPort;
  assert.ok(target === 8080 || container.ports.find((p) => p.name === target)?.containerPort === 8080);
});

test('the Ingress serves /cds-services over TLS, through the Service port 8080 only', () => {
  const ingress = only('Ingress');
  const service = only('Service');
  assert.ok(ingress.spec.tls?.length > 0, 'TLS');
  const tlsHosts = ingress.spec.tls.flatMap((t) => {
    assert.ok(t.secretName, 'TLS secretName');
    return t.hosts;
  });
  for (const rule of ingress.spec.rules) {
    assert.ok(tlsHosts.includes(rule.host), `${rule.host} is covered by TLS`);
    for (const p of rule.http.paths) {
      assert.equal(p.path, '/cds-services', 'only the CDS Hooks API is public');
      assert.equal(p.backend.service.name, service.metadata.name);
      const port = p.backend.service.port;
      const servicePort = service.spec.ports.find((sp) => sp.name === port.name || sp.port === port.number);
      assert.equal(servicePort?.port, 8080);
    }
  }
});

test('the HorizontalPodAutoscaler scales the Deployment 2..10 on 70% CPU', () => {
  const hpa = only('HorizontalPodAutoscaler');
  assert.equal(hpa.apiVersion, 'autoscaling/v2');
  assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
  assert.equal(hpa.spec.minReplicas, 2);
  assert.equal(hpa.spec.maxReplicas, 10);
  const cpu = hpa.spec.metrics.find((m) => m.type === 'Resource' && m.resource.name === 'cpu');
  assert.deepEqual(cpu.resource.target, { type: 'Utilization', averageUtilization: 70 });
});

test('the PodDisruptionBudget keeps one pod of the Deployment', () => {
  const pdb = only('PodDisruptionBudget');
  assert.equal(pdb.apiVersion, 'policy/v1');
  assert.equal(pdb.spec.minAvailable, 1);
  assert.ok(matches(pdb.spec.selector.matchLabels, deployment.spec.template.metadata.labels));
});

test('the NetworkPolicy admits the CDS port only', () => {
  const policy = only('NetworkPolicy');
  assert.ok(matches(policy.spec.podSelector.matchLabels, deployment.spec.template.metadata.labels));
  const ports = policy.spec.ingress.flatMap((r) => r.ports.map((p) => p.port));
  assert.deepEqual(ports, [8080]);
});

test('Prometheus scrape annotations point at /metrics on the CDS port', () => {
  const a = deployment.spec.template.metadata.annotations;
  assert.equal(a['prometheus.io/scrape'], 'true');
  assert.equal(a['prometheus.io/port'], '8080');
  assert.equal(a['prometheus.io/path'], '/metrics');
});
