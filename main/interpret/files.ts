// The files an interpretation job and its service share (the job writes them into its checkpointDir,
// the variants list into the run's folder); here so the service need not import the job module.
export const INTERPRET_RESULT_FILE = 'result.json';
export const ISM_DATA_FILE = 'ism.f32';
export const VARIANTS_FILE = 'variants.json';
