// App-level methods: version, mode, and the compute backend the engine uses.
import { z } from 'zod';
import { method } from './define';
import { FilePath } from './projects';

export const BackendName = z.enum(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;

export const BackendPreference = z.enum(['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
export type BackendPreference = z.infer<typeof BackendPreference>;

/** Why the engine runs where it runs: each candidate in order, whether it loaded, and why not. */
export const BackendReport = z.object({
  chosen: BackendName,
  preference: BackendPreference,
  /** One sentence for the status bar, e.g. "wasm (SIMD, 1 thread): tfjs-node-gpu not installed". */
  summary: z.string(),
  candidates: z.array(
    z.object({
      name: BackendName,
      available: z.boolean(),
      /** Why it is (not) available, e.g. "CUDA libraries not found: libcudart.so.11". */
      reason: z.string(),
    }),
  ),
  gpu: z.boolean(),
});
export type BackendReport = z.infer<typeof BackendReport>;

export const AppInfo = z.object({
  name: z.literal('Loci'),
  version: z.string(),
  mode: z.enum(['desktop', 'browser', 'cli']),
  platform: z.string(),
  node: z.string(),
  dataDir: z.string(),
  offline: z.literal(true),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const FileCheck = z.object({ path: z.string(), size: z.number().int().nonnegative(), compression: z.enum(['none', 'gzip', 'bgzip']) });
export type FileCheck = z.infer<typeof FileCheck>;

export const systemMethods = {
  'system.checkFile': method(
    z.object({ path: FilePath }).strict(),
    FileCheck,
    "Check that a file the user typed is there and readable before a wizard goes on (fails 'bad_file' naming the path: not found, a folder, empty, binary).",
  ),
  'system.info': method(z.object({}).strict(), AppInfo, 'Version, mode (desktop or browser) and where Loci keeps its data.'),
  'system.backend': method(
    z.object({ refresh: z.boolean().default(false) }).strict(),
    BackendReport,
    'The compute backend the engine uses and why (tfjs-node-gpu, tfjs-node, wasm or cpu).',
  ),
};
