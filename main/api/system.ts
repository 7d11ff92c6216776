// system.*: what this Loci is, where it keeps its data, and which compute backend the engine uses.
import type { BackendReport } from '../../shared/contract/system';
import { resolve } from 'node:path';
import { probeBackends } from '../engine/backend';
import { probeFile } from '../genome/io';
import { mapErrors } from './data-support';
import type { AppContext } from './context';
import type { Services } from './dispatch';

type SystemServices = Pick<Services, Extract<keyof Services, `system.${string}`>>;

export function createSystemServices(ctx: AppContext): SystemServices {
  // Probing resolves packages and looks for CUDA libraries: cheap, but not free, and the answer
  // only changes when the user installs something, so it is cached until asked to refresh.
  let backend: BackendReport | undefined;
  return {
    async 'system.info'() {
      return {
        name: 'Loci' as const,
        version: ctx.appVersion,
        mode: ctx.mode,
        platform: `${process.platform}-${process.arch}`,
        node: process.versions.node,
        dataDir: ctx.dataDir,
        offline: true as const,
      };
    },

    async 'system.checkFile'({ path }) {
      const file = resolve(path);
      return mapErrors(async () => {
        const kind = await probeFile(file);
        return { path: file, size: kind.size, compression: kind.compression };
      });
    },

    async 'system.backend'({ refresh }) {
      if (!backend || refresh) {
        const { chosen, preference, summary, candidates, gpu } = probeBackends(ctx.settings.read().backendPreference);
        backend = { chosen, preference, summary, candidates, gpu };
      }
      return backend;
    },
  };
}
