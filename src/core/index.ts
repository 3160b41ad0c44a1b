export * from './detector.js';
export * from './errors.js';
export * from './finding.js';
export * from './normalize/index.js';
export * from './redact/index.js';
export * from './scan.js';
export * from './taxonomy.js';
