/** `lifeguard/models`: our trained classifiers, their training and evaluation, and external model backends. */
export * from './backends/index.js';
export {
  ALL_CONVERTER_IDS,
  type EvalRun,
  evaluate,
  ROBUSTNESS_CONVERTERS,
  type RobustnessRow,
  robustness,
} from './classify/evaluate.js';
export * from './classify/index.js';
