// scans.*: genome scans (see shared/contract/scans.ts). Being built: every method answers
// 'internal' until the scan job lands (next commits on this branch).
import { ApiError } from '../../shared/contract/errors';
import type { AppContext } from './context';
import type { Services } from './dispatch';

type ScanServices = Pick<Services, Extract<keyof Services, `scans.${string}`>>;

export function createScanServices(_ctx: AppContext): ScanServices {
  const pending = async (): Promise<never> => {
    throw new ApiError({ code: 'internal', message: 'Genome scans are not available in this build yet' });
  };
  return {
    'scans.start': pending,
    'scans.list': pending,
    'scans.get': pending,
    'scans.track': pending,
    'scans.regions': pending,
    'scans.nextRegion': pending,
    'scans.setThreshold': pending,
    'scans.export': pending,
    'scans.remove': pending,
    'scans.scoreAt': pending,
  };
}
