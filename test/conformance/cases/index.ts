/**
 * The conformance table: every group of every case file, in a stable order. Engines import `allGroups` and run each
 * case (see ../types.ts for the case format and ./_helpers.ts for how rule text is written).
 */
import type { ConformanceGroup } from '../types.js';
import { groups as values } from './values.js';
import { groups as wildcards } from './wildcards.js';
import { groups as stringModifiers } from './modifiers-string.js';
import { group as windash } from './modifiers-windash.js';
import { groups as encodings } from './modifiers-encoding.js';
import { group as regex } from './modifiers-re.js';
import { group as cidr } from './modifiers-cidr.js';
import { group as fieldref } from './modifiers-fieldref.js';
import { groups as comparisons } from './modifiers-compare.js';
import { group as expand } from './modifiers-expand.js';
import { groups as conditions } from './conditions.js';
import { groups as detection } from './detection.js';
import { group as fields } from './fields.js';
import { group as keywords } from './keywords.js';
import { groups as documents } from './documents.js';
import { group as evtx } from './evtx-json.js';
import { groups as errors } from './errors.js';
import { groups as hostile } from './hostile.js';
import { group as regressions } from './regressions.js';

export const allGroups: ConformanceGroup[] = [
  ...values,
  ...wildcards,
  ...stringModifiers,
  windash,
  ...encodings,
  regex,
  cidr,
  fieldref,
  ...comparisons,
  expand,
  ...conditions,
  ...detection,
  fields,
  keywords,
  ...documents,
  evtx,
  ...errors,
  ...hostile,
  regressions,
];
