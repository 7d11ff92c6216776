// Every page of the app, in navigation order. A page is listed here only once its feature exists
// (no placeholders): a later feature adds its page by adding one entry. `requires` names the
// contract methods the page cannot work without, so an entry can never show up ahead of its API.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Icon } from '@tabler/icons-react';
import { IconBrain, IconChartLine, IconDatabase, IconFolders, IconDna, IconReportAnalytics } from '@tabler/icons-react';
import { isMethodName } from '../../../shared/contract';

export interface PageEntry {
  /** The address of the page: `#/<id>`. */
  id: string;
  label: string;
  icon: Icon;
  description: string;
  requires: readonly string[];
  /** Pages that work inside a project are disabled until one is open. */
  needsProject: boolean;
  /** Lazy, so heavy pages (the genome view's igv.js) load only when visited. */
  component: LazyExoticComponent<ComponentType>;
}

const allPages: PageEntry[] = [
  {
    id: 'projects',
    label: 'Projects',
    icon: IconFolders,
    description: 'Create, open, rename and delete projects',
    requires: ['projects.create', 'projects.open', 'projects.listRecent'],
    needsProject: false,
    component: lazy(() => import('./projects/ProjectsPage')),
  },
  {
    id: 'data',
    label: 'Data',
    icon: IconDatabase,
    description: 'Genomes, labelled regions and datasets of the open project; the import wizard',
    requires: ['genomes.import', 'genomes.list', 'genomes.relocate', 'regions.preview', 'regions.import', 'regions.list', 'tables.preview', 'datasets.build', 'datasets.list', 'datasets.get', 'datasets.export', 'datasets.remove'],
    // The page itself says how to open a project, rather than a greyed-out link.
    needsProject: false,
    component: lazy(() => import('./data/DataPage')),
  },
  {
    id: 'models',
    label: 'Models',
    icon: IconBrain,
    description: 'Bundled pre-trained models, imported Hugging Face folders and from-scratch baselines',
    requires: ['models.catalog', 'models.list', 'models.card', 'models.addBundled', 'models.importFolder', 'models.createBaseline', 'models.export', 'models.remove'],
    // The catalog works without a project; the page says how to open one for the rest.
    needsProject: false,
    component: lazy(() => import('./models/ModelsPage')),
  },
  {
    id: 'train',
    label: 'Train',
    icon: IconChartLine,
    description: 'Fine-tune a model on a dataset: the training wizard, live run dashboards and run comparison',
    requires: ['training.defaults', 'training.modelDefaults', 'training.estimate', 'training.start', 'training.list', 'training.get', 'training.cancel', 'training.pause', 'training.resume', 'training.remove', 'datasets.list', 'models.list', 'models.catalog'],
    // The page itself says how to open a project.
    needsProject: false,
    component: lazy(() => import('./train/TrainPage')),
  },
  {
    id: 'genome',
    label: 'Genome view',
    icon: IconDna,
    description: 'The genome in an embedded IGV: labels, scan scores and called regions, and your own tracks',
    requires: ['genomeView.reference', 'genomeView.tracks', 'genomeView.features', 'genomeView.search', 'genomeView.settings.get', 'genomeView.settings.set', 'genomeView.addTrackFile', 'genomeView.removeTrackFile', 'genomeView.pins.list', 'genomeView.pins.add', 'genomeView.pins.remove'],
    // The page itself says how to open a project.
    needsProject: false,
    component: lazy(() => import('./genome/GenomePage')),
  },
  {
    id: 'reports',
    label: 'Reports',
    icon: IconReportAnalytics,
    description: 'Run and comparison reports as one self-contained HTML file or a PDF: preview, save, delete',
    requires: ['reports.create', 'reports.list', 'reports.get', 'reports.save', 'reports.remove', 'training.list'],
    // The page itself says how to open a project.
    needsProject: false,
    component: lazy(() => import('./reports/ReportsPage')),
  },
];

export const pages: readonly PageEntry[] = allPages.filter((p) => p.requires.every(isMethodName));
