/** The correlation conformance table: every group of every case file, in a stable order. */
import type { CorrelationGroup } from '../types.js';
import { groups as counting } from './counting.js';
import { groups as values } from './values.js';
import { groups as temporal } from './temporal.js';
import { groups as chains } from './chains.js';
import { groups as time } from './time.js';
import { groups as state } from './state.js';

export const correlationGroups: CorrelationGroup[] = [...counting, ...values, ...temporal, ...chains, ...time, ...state];
