// Every `loci` command, in the order `loci --help` lists them. A new command: one module, one line here.
import type { CliCommand } from '../command';
import { apiList, callMethod } from './api';
import { demo } from './demo';
import { datasetBuild, datasetExport, datasetList, datasetRemove, datasetShow } from './dataset';
import { doctor } from './doctor';
import { finetune } from './finetune';
import { gue } from './gue';
import { importGenome, importRegions, importTable } from './import';
import { jobCommands } from './jobs';
import { modelCommands } from './models';
import { projectCreate, projectDelete, projectForget, projectInfo, projectList, projectOpen, projectRename } from './project';
import { pinCommands } from './pin';
import { pretrain } from './pretrain';
import { report, reportList, reportRemove } from './report';
import { runCommands } from './runs';
import { scanCommands } from './scan';
import { annotationCommands } from './annotations';
import { interpretCommands } from './interpret';
import { retrain, suggest } from './retrain';
import { serve } from './serve';

export const commands: readonly CliCommand[] = [
  serve,
  demo,
  projectCreate,
  projectList,
  projectInfo,
  projectOpen,
  projectRename,
  projectDelete,
  projectForget,
  importGenome,
  importRegions,
  importTable,
  datasetBuild,
  datasetList,
  datasetShow,
  datasetExport,
  datasetRemove,
  ...modelCommands,
  doctor,
  pretrain,
  finetune,
  gue,
  ...runCommands,
  ...scanCommands,
  report,
  reportList,
  reportRemove,
  ...pinCommands,
  ...annotationCommands,
  retrain,
  suggest,
  ...interpretCommands,
  ...jobCommands,
  apiList,
  callMethod,
];
