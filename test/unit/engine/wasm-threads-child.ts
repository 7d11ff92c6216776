// Child of wasm-threads.test.ts (the wasm thread count is fixed per process): starts the wasm
// backend with LOCI_WASM_THREADS threads, then prints its report and a forward pass, gradients and
// a large matrix product of the dnabert2-micro fixture as JSON on stdout.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../main/engine/backend';
import { loadModelFolder } from '../../../main/engine/checkpoint/folder';
import { readSafetensorsFile, toInt32 } from '../../../main/engine/checkpoint/safetensors';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'engine-models', 'dnabert2-micro');
const { report } = await initBackend('wasm');
const wasm = await import('@tensorflow/tfjs-backend-wasm');
const { model } = await loadModelFolder(dir, { heads: { classifier: true } });
const inputs = await readSafetensorsFile(join(dir, 'inputs.safetensors'));
const get = (k: string) => {
  const e = inputs.tensors.get(`batch0.${k}`)!;
  return tf.tensor2d(toInt32(e), e.shape as [number, number], 'int32');
};
const batch = { inputIds: get('input_ids'), attentionMask: get('attention_mask'), tokenTypeIds: get('token_type_ids') };
const hidden = [...model.forward(batch).lastHiddenState.dataSync()];
const params = [...model.trainableParams((_n, group) => group !== 'mlm').values()]; // the loss uses the classifier only
const { grads } = tf.variableGrads(() => tf.sum(model.forward(batch, { training: true, seed: 1 }).logits!) as tf.Scalar, params);
const gradients = params.map((p) => [...grads[p.name]!.dataSync()]);
// Big enough for XNNPACK to split the product over its threads.
const a = tf.randomUniform([512, 384], -1, 1, 'float32', 7);
const b = tf.randomUniform([1536, 384], -1, 1, 'float32', 8);
const product = [...tf.matMul(a, b, false, true).dataSync()];
process.stdout.write(JSON.stringify({ summary: report.summary, threads: wasm.getThreadsCount(), hidden, gradients, product }));
