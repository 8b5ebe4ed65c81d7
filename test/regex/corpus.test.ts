/**
 * Differential test over every regex in the SigmaHQ corpus: each must compile, and on realistic, generated and
 * mutated inputs our engine must agree with JS RegExp (where JS semantics coincide, see jsReference; the set-based
 * oracle for nested quantifiers) and the required literals must admit every matching input.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { compileRegex, regexSearch, type CompiledRegex } from '../../src/regex/index.js';
import {
  astOf,
  generateMatch,
  hasNestedQuantifier,
  jsReference,
  loadCorpusRegexes,
  loadSampleStrings,
  mutate,
  oracleSearch,
  prefilterAdmits,
  Rng,
  type CorpusRegex,
} from './support.js';

/** The corpus has 217 `|re` values; a much smaller count means the extraction broke, not that the corpus shrank. */
const MIN_CORPUS_REGEXES = 200;
const SAMPLES_PER_REGEX = 40;
const GENERATED_PER_REGEX = 40;
const MUTATIONS_PER_GENERATED = 2;
const RANDOM_PER_REGEX = 20;
const RANDOM_MAX_LENGTH = 60;
const SEED = 0x5167ac;

const RANDOM_ALPHABET = [
  ...'abcxyzABCXYZ0189 _-./\\:;"\'`$%^&*()[]{}|+?,=@#~<>!',
  '\n',
  '\r',
  '\t',
  'é',
  'Ä',
  'ß',
  '–',
  '\u00a0',
  '\u2028',
  '😀',
  '\u212a',
];

let corpus: CorpusRegex[];
let samples: string[];

beforeAll(() => {
  corpus = loadCorpusRegexes();
  samples = loadSampleStrings();
});

function inputsFor(entry: CorpusRegex, rng: Rng): string[] {
  const inputs: string[] = [];
  for (let k = 0; k < SAMPLES_PER_REGEX; k++) inputs.push(rng.pick(samples));
  const ast = astOf(entry.pattern, entry.flags);
  const effective = { ...entry.flags, ...parseFlags(entry) };
  for (let k = 0; k < GENERATED_PER_REGEX; k++) {
    const core = generateMatch(ast, effective, rng);
    const framed = rng.next() < 0.5 ? core : rng.pick(samples).slice(0, rng.int(40)) + core + rng.pick(samples).slice(0, rng.int(40));
    inputs.push(framed);
    for (let m = 0; m < MUTATIONS_PER_GENERATED; m++) inputs.push(mutate(framed, rng, RANDOM_ALPHABET));
  }
  for (let k = 0; k < RANDOM_PER_REGEX; k++) {
    let s = '';
    const length = rng.int(RANDOM_MAX_LENGTH);
    for (let c = 0; c < length; c++) s += rng.pick(RANDOM_ALPHABET);
    inputs.push(s);
  }
  return inputs;
}

function parseFlags(entry: CorpusRegex) {
  return compileRegex(entry.pattern, entry.flags).flags;
}

describe('SigmaHQ corpus regexes', () => {
  test('the corpus was found and every regex in it compiles', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(MIN_CORPUS_REGEXES);
    const failures: string[] = [];
    for (const entry of corpus) {
      try {
        compileRegex(entry.pattern, entry.flags);
      } catch (e) {
        failures.push(`${entry.file} ${entry.key}: /${entry.pattern}/: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('matching agrees with JS RegExp and required literals admit every match', () => {
    const rng = new Rng(SEED);
    const mismatches: string[] = [];
    const unsound: string[] = [];
    let compared = 0;
    let matched = 0;
    for (const entry of corpus) {
      const compiled: CompiledRegex = compileRegex(entry.pattern, entry.flags);
      const reference = jsReference(entry.pattern, entry.flags);
      // JS backtracks exponentially on nested quantifiers (`([0-9a-f]{2}\s?){2,20}`) over long mutated inputs;
      // those regexes are checked against the set-based oracle instead, which is polynomial.
      const nested = hasNestedQuantifier(astOf(entry.pattern, entry.flags));
      for (const input of inputsFor(entry, rng)) {
        const ours = regexSearch(compiled.program, input);
        if (ours) matched++;
        if (ours && compiled.requiredLiterals !== null && !prefilterAdmits(compiled.requiredLiterals, input)) {
          unsound.push(`/${entry.pattern}/ literals ${JSON.stringify(compiled.requiredLiterals)} reject ${JSON.stringify(input)}`);
        }
        if (nested) {
          compared++;
          if (ours !== oracleSearch(entry.pattern, entry.flags, input)) {
            mismatches.push(`/${entry.pattern}/ (oracle) on ${JSON.stringify(input)}: ours ${ours}`);
          }
          continue;
        }
        if (!reference.accepts(input)) continue;
        compared++;
        if (ours !== reference.test(input)) {
          mismatches.push(`/${entry.pattern}/${reference.flags} on ${JSON.stringify(input)}: ours ${ours}`);
        }
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(unsound.slice(0, 20)).toEqual([]);
    // Sanity: the inputs exercised both outcomes substantially.
    expect(compared).toBeGreaterThan(corpus.length * 100);
    expect(matched).toBeGreaterThan(corpus.length * 20);
  });

  test('most corpus regexes yield prefilter literals', () => {
    const withLiterals = corpus.filter((entry) => compileRegex(entry.pattern, entry.flags).requiredLiterals !== null);
    // Purely structural patterns (`.{1000,}`, `[a-zA-Z]:\\`, `^[A-Za-z0-9]{16}$`) legitimately have none.
    expect(withLiterals.length / corpus.length).toBeGreaterThan(0.75);
  });

  test('selected corpus regexes get the literals a prefilter wants', () => {
    const literalsOf = (pattern: string, ignoreCase = false) =>
      compileRegex(pattern, { ignoreCase }).requiredLiterals;
    expect(literalsOf('\\\\Windows\\\\System32\\\\[a-zA-Z0-9]{8}\\.tmp$')).toEqual({
      literals: ['\\Windows\\System32\\'],
      caseFolded: false,
    });
    expect(literalsOf('(?i)(ipfs\\.io/|ipfs\\.io\\s).+\\..+@.+\\.[a-z]+')).toEqual({
      literals: ['ipfs.io'],
      caseFolded: true,
    });
    expect(literalsOf('net\\s+user')).toEqual({ literals: ['user'], caseFolded: false });
    expect(literalsOf('http[s]?://[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}')).toEqual({
      literals: ['http://', 'https://'],
      caseFolded: false,
    });
    expect(literalsOf('(?:[Pp]rogram[Dd]ata|%(?:[Ll]ocal)?[Aa]pp[Dd]ata%|\\\\[Aa]pp[Dd]ata\\\\(?:[Ll]ocal(?:[Ll]ow)?|[Rr]oaming))\\\\[^\\\\]{1,256}$')?.literals.length).toBeGreaterThan(0);
    expect(literalsOf('.{1000,}')).toBeNull();
    expect(literalsOf('^[A-Za-z0-9]{16}$')).toBeNull();
  });
});
