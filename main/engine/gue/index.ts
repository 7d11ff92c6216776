// The GUE benchmark runner: task folders, published scores, one unit per model x task x seed, tables.
export * from './tasks';
export * from './published';
export * from './report';
export * from './unit';
export * from './runner';
