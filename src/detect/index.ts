// The leak detector: pure functions from memory series to a verdict, attribution and projection.
export { judgeRun } from './judge.js';
export { createOnlineDetector, nextCheckAt, type OnlineDetector, type OnlineOptions, type RunCounts } from './online.js';
export { attribute, describeAttribution } from './attribution.js';
export { projectToLimit, type ProjectionInput } from './projection.js';
export { DEFAULT_THRESHOLDS, DEFAULT_MIN_BYTES_PER_HOUR, DEFAULT_MIN_BYTES_PER_TASK } from './thresholds.js';
export type { DetectorOptions, RunSeries, SeriesKind, Thresholds } from './types.js';
export { mannKendall, mannKendallS, mannKendallVariance, varianceInflation, type MannKendall } from './mann-kendall.js';
export { theilSen, senSlope, type SenSlope } from './theil-sen.js';
export { lowerEnvelope, chooseBlockSize, type Envelope } from './envelope.js';
export { fitStep, type StepFit } from './step.js';
