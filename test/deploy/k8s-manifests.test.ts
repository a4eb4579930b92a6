/**
 * deploy/k8s/ validated offline against the Kubernetes OpenAPI schemas that
 * kubernetes-models ships (ajv, no network), plus the cross-object wiring a
 * schema cannot see: agent memory limits vs --node-mem, the token Secret, the
 * Service names agents join and advertise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { memoryRuleProblem } from './support/memory-rule.js';

const K8S_DIR = fileURLToPath(new URL('../../deploy/k8s/', import.meta.url));

interface Validatable { validate(): void }
type Model = new (data: never) => Validatable;
const MODELS: Record<string, Model> = {
  'v1/Secret': Secret as Model,
  'v1/Service': Service as Model,
  'apps/v1/Deployment': Deployment as Model,
  'apps/v1/StatefulSet': StatefulSet as Model,
  'batch/v1/Job': Job as Model,
};

interface Manifest { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; stringData?: Record<string, string> }

function loadManifests(): { file: string; doc: Manifest }[] {
  const out: { file: string; doc: Manifest }[] = [];
  for (const file of readdirSync(K8S_DIR).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const d of parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8'))) {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
      out.push({ file, doc: d.toJS() as Manifest });
    }
  }
  return out;
}

/** Throws the schema error for a manifest, or for one of a kind we have no model for. */
function validate(doc: Manifest): void {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
  new Model(structuredClone(doc) as never).validate();
}

const manifests = loadManifests();
const find = (kind: string, name: string): Manifest => {
  const m = manifests.find((x) => x.doc.kind === kind && x.doc.metadata.name === name);
  if (!m) throw new Error(`no ${kind} ${name} in deploy/k8s`);
  return m.doc;
};
const containersOf = (m: Manifest): IContainer[] => m.spec.template.spec.containers;
const argAfter = (c: IContainer, flag: string): string => {
  const i = (c.args ?? []).indexOf(flag);
  if (i < 0) throw new Error(`${c.name}: no ${flag} in args`);
  return c.args![i + 1]!;
};

describe('deploy/k8s manifests', () => {
  it('every document validates against its Kubernetes schema', () => {
    expect(manifests.map((m) => `${m.file}: ${m.doc.kind}`)).toEqual([
      'agent.yaml: Service', 'agent.yaml: StatefulSet', 'client-job.yaml: Job',
      'coordinator.yaml: Deployment', 'coordinator.yaml: Service', 'secret.yaml: Secret',
    ]);
    for (const { file, doc } of manifests) expect(() => validate(doc), `${file} ${doc.kind}`).not.toThrow();
  });

  it('the validator rejects a broken manifest (so the check above is real)', () => {
    const agent = structuredClone(find('StatefulSet', 'unum-agent'));
    agent.spec.template.spec.containers[0].ports[0].containerPort = 'seven-seven-oh-one';
    expect(() => validate(agent)).toThrow(/containerPort/);
    const noSelector = structuredClone(find('Deployment', 'unum-coordinator'));
    delete noSelector.spec.selector;
    expect(() => validate(noSelector)).toThrow(/selector/);
  });

  it('agent limits match --node-mem and --cores, with requests == limits', () => {
    const [agent] = containersOf(find('StatefulSet', 'unum-agent'));
    const limits = agent!.resources!.limits as Record<string, string>;
    expect(agent!.resources!.requests).toEqual(limits);
    expect(memoryRuleProblem(argAfter(agent!, '--node-mem'), limits.memory!, 'k8s')).toBeUndefined();
    expect(limits.cpu).toBe(argAfter(agent!, '--cores'));
    // The rule bites: the same node memory in a smaller box is refused.
    expect(memoryRuleProblem(argAfter(agent!, '--node-mem'), '600Mi', 'k8s')).toMatch(/< --node-mem 512M/);
  });

  it('agents join the coordinator Service and advertise their stable headless-Service names', () => {
    const sts = find('StatefulSet', 'unum-agent');
    const headless = find('Service', sts.spec.serviceName);
    expect(headless.spec.clusterIP).toBe('None');
    const coordinatorSvc = find('Service', 'unum-coordinator');
    const apiPort = coordinatorSvc.spec.ports.find((p: { name: string }) => p.name === 'api').port;
    const [agent] = containersOf(sts);
    expect(argAfter(agent!, '--join')).toBe(`unum-coordinator:${apiPort}`);
    expect(argAfter(agent!, '--advertise')).toBe(`$(POD_NAME).${headless.metadata.name}:7701`);
    expect(agent!.env!.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    const [client] = containersOf(find('Job', 'unum-hello'));
    expect(argAfter(client!, '--cluster')).toBe(`unum-coordinator:${apiPort}`);
    for (const [svc, workload] of [[headless, sts], [coordinatorSvc, find('Deployment', 'unum-coordinator')]] as const) {
      expect(workload.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
    }
  });

  it('every unum container takes UNUM_TOKEN from the Secret and probes with unum health', () => {
    const secret = find('Secret', 'unum-token');
    const workloads = manifests.map((m) => m.doc).filter((d) => d.spec?.template);
    expect(workloads).toHaveLength(3);
    for (const w of workloads) {
      for (const c of containersOf(w)) {
        const ref = c.env?.find((e) => e.name === 'UNUM_TOKEN')?.valueFrom?.secretKeyRef;
        expect(ref, `${w.kind} ${c.name}`).toEqual({ name: 'unum-token', key: 'token' });
        expect(secret.stringData).toHaveProperty(ref!.key);
        expect(w.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
        if (w.kind === 'Job') continue;
        const port = c.ports![0]!.containerPort;
        expect(c.readinessProbe?.exec?.command).toEqual(['unum', 'health', `127.0.0.1:${port}`]);
      }
    }
  });
});
