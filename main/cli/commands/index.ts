// Every `loci` command, in the order `loci --help` lists them. A new command: one module, one line here.
import type { CliCommand } from '../command';
import { apiList, callMethod } from './api';
import { datasetBuild, datasetExport, datasetList, datasetRemove, datasetShow } from './dataset';
import { doctor } from './doctor';
import { finetune } from './finetune';
import { importGenome, importRegions, importTable } from './import';
import { jobCommands } from './jobs';
import { modelCommands } from './models';
import { projectCreate, projectDelete, projectForget, projectInfo, projectList, projectOpen, projectRename } from './project';
import { pretrain } from './pretrain';
import { runCommands } from './runs';
import { scanCommands } from './scan';
import { serve } from './serve';

export const commands: readonly CliCommand[] = [
  serve,
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
  ...runCommands,
  ...scanCommands,
  ...jobCommands,
  apiList,
  callMethod,
];
