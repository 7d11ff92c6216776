// suggestions.list: where to annotate next, from a finished scan (ranking in main/scan/suggest.ts).
// Reads the scan's stored bigWig tracks through scans.ts's readers, one chromosome at a time (memory: one chromosome's tracks).
import { ApiError } from '../../shared/contract/errors';
import { TopRegions, measureChrom } from '../scan/suggest';
import { genomeSequences } from '../store/data-repo';
import { scanTrack } from '../store/scan-repo';
import type { AppContext } from './context';
import type { Services } from './dispatch';
import { existingPath, projectDb } from './projects';
import { readChrom, requireScan, requireTrack } from './scans';

type SuggestionServices = Pick<Services, Extract<keyof Services, `suggestions.${string}`>>;


export function createSuggestionServices(ctx: AppContext): SuggestionServices {
  return {
    async 'suggestions.list'({ project, scanId, by, top, size }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const scan = requireScan(db, scanId, real);
      if (scan.state !== 'done') throw new ApiError({ code: 'conflict', message: `Scan ${scanId} is ${scan.state}: suggestions come from a finished scan` });
      const chroms = genomeSequences(db, scan.params.genomeId);
      const interest = scan.params.classesOfInterest;
      const main = interest[0]!;
      const regionSize = size ?? scan.params.settings.window;
      if (by === 'strands' && scan.params.settings.strand !== 'both') {
        throw new ApiError({ code: 'invalid_input', message: `Scan ${scanId} scored the ${scan.params.settings.strand} strand only: strand disagreement needs a scan of both strands`, issues: [{ path: 'by', message: 'needs a scan of both strands' }] });
      }
      const combinedRows = interest.map((k) => requireTrack(db, scan, k, 'combined', real));
      const fwdRow = scan.params.settings.strand === 'both' ? scanTrack(db, scan.id, main, 'forward') : undefined;
      const revRow = scan.params.settings.strand === 'both' ? scanTrack(db, scan.id, main, 'reverse') : undefined;
      const allClasses = interest.length === scan.params.classes.length;
      const best = new TopRegions(top);
      for (const c of chroms) {
        const combined = await Promise.all(combinedRows.map((t) => readChrom(db, t, c)));
        if (!combined.some(Boolean)) continue;
        const forward = fwdRow ? await readChrom(db, fwdRow, c) : undefined;
        const reverse = revRow ? await readChrom(db, revRow, c) : undefined;
        best.add(measureChrom({ chrom: c.name, length: c.length, combined, forward, reverse }, { size: regionSize, allClasses }), by);
      }
      return { scanId, classIndex: main, className: scan.params.classes[main] ?? String(main), size: regionSize, by, regions: best.result(), considered: best.considered };
    },
  };
}
