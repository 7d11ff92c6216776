// A copy of a bundled model folder (resources/models) with a pooler and a 2-class head of seeded,
// unit-scale random weights, so that mutations move the class probability well above float32
// noise; for the interpretation parity test and bench/ism.ts.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensorsFile, toFloat32, writeSafetensorsFile } from '../../main/engine/checkpoint/safetensors';
import { Prng } from '../../main/engine/train/prng';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function bundledClassifier(name: string, seed: number, dir: string): Promise<string> {
  const src = join(ROOT, 'resources', 'models', name);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(src)) if (f !== 'model.safetensors') copyFileSync(join(src, f), join(dir, f));
  const config = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8')) as { hidden_size: number; architectures: string[] };
  config.architectures = ['BertForSequenceClassification'];
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const file = await readSafetensorsFile(join(src, 'model.safetensors'));
  const tensors = [...file.tensors.entries()].map(([n, e]) => ({ name: n, shape: e.shape, data: toFloat32(e) }));
  const rng = new Prng(seed);
  const H = config.hidden_size;
  // Box-Muller normals from the one PRNG.
  const normal = (n: number, scale: number) => Float32Array.from({ length: n }, () => scale * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
  tensors.push(
    { name: 'bert.pooler.dense.weight', shape: [H, H], data: normal(H * H, 3 / Math.sqrt(H)) },
    { name: 'bert.pooler.dense.bias', shape: [H], data: normal(H, 0.1) },
    { name: 'classifier.weight', shape: [2, H], data: normal(2 * H, 1.5 / Math.sqrt(H)) },
    { name: 'classifier.bias', shape: [2], data: normal(2, 0.1) },
  );
  await writeSafetensorsFile(join(dir, 'model.safetensors'), tensors);
  return dir;
}
