// The contract as dispatch enforces it: field-level input errors, strict objects, unknown methods,
// and output validation that catches a service breaking the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, ApiError, type MethodName } from '../../shared/contract';
import { dispatch, type Services } from '../../main/api/dispatch';

const info = {
  path: '/p/x.loci',
  name: 'X',
  createdAt: '2024-01-01T00:00:00.000Z',
  modifiedAt: '2024-01-01T00:00:00.000Z',
  schemaVersion: 1,
  readOnly: false,
  sizeBytes: 4096,
  counts: { genomes: 0, datasets: 0, models: 0, runs: 0 },
};

/** Services that record their inputs; any method can be overridden per test. */
function fakeServices(overrides: Partial<Record<MethodName, (input: never) => Promise<unknown>>> = {}) {
  const calls: { method: string; input: unknown }[] = [];
  const defaults: Record<string, (input: unknown) => Promise<unknown>> = {
    'system.info': async () => ({ name: 'Loci', version: '0.1.0', mode: 'cli', platform: 'linux-x64', node: '20', dataDir: '/d', offline: true }),
    'system.backend': async () => ({ chosen: 'cpu', preference: 'auto', summary: 'cpu', candidates: [], gpu: false }),
    'projects.create': async () => info,
    'projects.open': async () => info,
    'projects.info': async () => info,
    'projects.rename': async () => info,
    'projects.listRecent': async () => [],
    'projects.forget': async () => ({ ok: true }),
    'projects.delete': async () => ({ ok: true }),
  };
  const services = Object.fromEntries(
    Object.keys(api).map((m) => [m, async (input: unknown) => {
      calls.push({ method: m, input });
      const impl = (overrides as Record<string, (i: unknown) => Promise<unknown>>)[m] ?? defaults[m];
      assert.ok(impl, `no fake for ${m}`);
      return impl(input);
    }]),
  ) as unknown as Services;
  return { services, calls };
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to be rejected');
}

test('an empty project name is refused with an issue on the name field', async () => {
  const { services, calls } = fakeServices();
  const err = await rejection(dispatch(services, 'projects.create', { name: '' }));
  assert.equal(err.code, 'invalid_input');
  assert.deepEqual(err.issues, [{ path: 'name', message: 'A project needs a name' }]);
  // People read the schema's message, no method or field names (those stay in issues).
  assert.equal(err.message, 'A project needs a name');
  assert.equal(calls.length, 0, 'the service must not run on invalid input');
});

test('a name of spaces is trimmed to empty and refused too', async () => {
  const { services } = fakeServices();
  const err = await rejection(dispatch(services, 'projects.create', { name: '   ' }));
  assert.equal(err.issues?.[0]?.path, 'name');
});

test('unknown extra keys are refused by the strict objects', async () => {
  const { services } = fakeServices();
  const err = await rejection(dispatch(services, 'projects.create', { name: 'ok', colour: 'red' }));
  assert.equal(err.code, 'invalid_input');
  assert.equal(err.issues?.length, 1);
  assert.equal(err.issues?.[0]?.path, '(input)');
  assert.match(err.issues?.[0]?.message ?? '', /colour/);
});

test('wrong types name the field and what was expected', async () => {
  const { services } = fakeServices();
  const err = await rejection(dispatch(services, 'projects.rename', { path: 42, name: 'x' }));
  assert.equal(err.issues?.[0]?.path, 'path');
  assert.match(err.issues?.[0]?.message ?? '', /expected string, received number/);

  const missing = await rejection(dispatch(services, 'projects.delete', { path: '/p/x.loci' }));
  assert.deepEqual(missing.issues?.map((i) => i.path), ['confirmName']);

  const notObject = await rejection(dispatch(services, 'projects.info', 'x.loci'));
  assert.equal(notObject.issues?.[0]?.path, '(input)');
});

test('valid input reaches the service parsed (trimmed, defaults filled in)', async () => {
  const { services, calls } = fakeServices();
  await dispatch(services, 'projects.create', { name: '  Roots  ' });
  await dispatch(services, 'system.backend', undefined);
  assert.deepEqual(calls, [
    { method: 'projects.create', input: { name: 'Roots' } },
    { method: 'system.backend', input: { refresh: false } },
  ]);
});

test('an unknown method is refused with unknown_method', async () => {
  const { services } = fakeServices();
  const err = await rejection(dispatch(services, 'projects.explode', {}));
  assert.equal(err.code, 'unknown_method');
  assert.equal(err.message, 'No such method: projects.explode');
  // Names inherited from Object.prototype are not methods either.
  assert.equal((await rejection(dispatch(services, 'toString', {}))).code, 'unknown_method');
});

test('a service returning the wrong shape is caught as an internal error', async () => {
  const { services } = fakeServices({ 'projects.info': async () => ({ ...info, sizeBytes: -1 }) });
  const err = await rejection(dispatch(services, 'projects.info', { path: '/p/x.loci' }));
  assert.equal(err.code, 'internal');
  assert.match(err.message, /projects\.info produced output that breaks the contract/);
  assert.match(err.message, /sizeBytes/);

  const { services: s2 } = fakeServices({ 'projects.listRecent': async () => [{ path: '/a', name: 'A' }] });
  const err2 = await rejection(dispatch(s2, 'projects.listRecent', {}));
  assert.equal(err2.code, 'internal');
  assert.match(err2.message, /openedAt|exists/);
});

test('errors thrown by a service keep their ApiError code; others become internal', async () => {
  const { services } = fakeServices({
    'projects.open': async () => {
      throw new ApiError({ code: 'not_a_project', message: '/x is not a Loci project' });
    },
    'projects.forget': async () => {
      throw new Error('disk on fire');
    },
  });
  const a = await rejection(dispatch(services, 'projects.open', { path: '/x' }));
  assert.deepEqual([a.code, a.message], ['not_a_project', '/x is not a Loci project']);
  const b = await rejection(dispatch(services, 'projects.forget', { path: '/x' }));
  assert.deepEqual([b.code, b.message], ['internal', 'disk on fire']);
});

test('every method has a one-line summary for `loci api`', () => {
  for (const [name, spec] of Object.entries(api)) {
    assert.ok(spec.summary.length > 10 && !spec.summary.includes('\n'), `${name} needs a one-line summary`);
  }
});

test('datasets.build names the bad field inside the spec, not spec.source (issue 9)', async () => {
  const { services } = fakeServices();
  const spec = { source: 'regions', genomeId: 1, regionSets: [{ id: 1 }], window: { mode: 'centred', length: 200 } };
  const noSplit = await rejection(dispatch(services, 'datasets.build', { project: '/p/x.loci', name: 'd', spec }));
  assert.deepEqual(noSplit.issues?.map((i) => i.path), ['spec.split']);
  assert.match(noSplit.message, /A split is required/);

  const badLength = await rejection(dispatch(services, 'datasets.build', {
    project: '/p/x.loci', name: 'd', spec: { ...spec, window: { mode: 'centred', length: 'abc' }, split: { kind: 'random', fractions: { train: 0.8, dev: 0.1, test: 0.1 } } },
  }));
  assert.deepEqual(badLength.issues?.map((i) => i.path), ['spec.window.length']);

  const badSource = await rejection(dispatch(services, 'datasets.build', { project: '/p/x.loci', name: 'd', spec: { source: 'nope' } }));
  assert.deepEqual(badSource.issues?.map((i) => i.path), ['spec.source']);
  assert.match(badSource.message, /'regions', 'tables' or 'table'/);
});

test('one id type across the API: training.* and scans.start take whole-number ids as datasets.* and models.* do (issue 9)', async () => {
  const { services } = fakeServices();
  const asText = await rejection(dispatch(services, 'training.get', { project: '/p/x.loci', runId: '1' }));
  assert.deepEqual(asText.issues?.map((i) => i.path), ['runId']);
  const start = await rejection(dispatch(services, 'training.start', { project: '/p/x.loci', datasetId: 'motif', modelId: '1' }));
  assert.deepEqual(start.issues?.map((i) => [i.path, i.message]), [['datasetId', 'Pick a dataset'], ['modelId', 'Pick a model']]);
  const scan = await rejection(dispatch(services, 'scans.start', { project: '/p/x.loci', runId: '2' }));
  assert.deepEqual(scan.issues?.map((i) => i.path), ['runId']);
  // The same shape as datasets.get's id.
  const ds = await rejection(dispatch(services, 'datasets.get', { project: '/p/x.loci', id: '1' }));
  assert.equal(ds.issues?.[0]?.message, asText.issues?.[0]?.message);
});
