// Measures the checks the way users meet them: precision over a corpus of real code (every finding reviewed
// once, its verdict recorded with a reason) and recall over mutants (a rule's mistake injected into a real
// training script at a recorded line, to be found there by that rule). Used by `npm run eval:checks` and
// by the unit test that holds CI to the thresholds.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkDocument } from '../../src/core/checkDocument';
import { createAnalyzer } from '../../src/core';
import type { Finding } from '../../src/core/checks';

export const REPO = join(__dirname, '..', '..');
const HERE = __dirname;

export interface CorpusSource {
  /** How findings name files of this source: `<prefix>/<path under root>`. */
  readonly prefix: string;
  /** A folder of the repository, or an absolute folder of the machine (installed packages). */
  readonly root: string;
  readonly dirs: readonly string[];
  readonly origin: string;
}

export interface Verdict {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly verdict: 'true' | 'false';
  readonly reason: string;
}

export interface Mutant {
  readonly id: string;
  readonly file: string;
  readonly rule: string;
  /** The exact text replaced (must occur once in the file, unless `occurrence` says which). */
  readonly find: string;
  readonly replace: string;
  readonly occurrence?: number;
  /** 1-based line of the mutated file where the rule must report. */
  readonly line: number;
  readonly mistake: string;
}

export interface CorpusFile {
  readonly name: string;
  readonly path: string;
}

const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(HERE, name), 'utf8')) as T;

export const corpusSources = (): CorpusSource[] => readJson<{ sources: CorpusSource[] }>('corpus.json').sources;
export const corpusVerdicts = (): Verdict[] => readJson<Verdict[]>('corpus-verdicts.json');
export const mutants = (): Mutant[] => readJson<Mutant[]>('mutants.json');

function pythonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return dir.endsWith('.py') ? [dir] : [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '__pycache__') out.push(...pythonFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.py')) out.push(path);
  }
  return out.sort();
}

export function corpusFiles(sources: readonly CorpusSource[] = corpusSources()): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const s of sources) {
    const root = s.root.startsWith('/') ? s.root : join(REPO, s.root);
    for (const d of s.dirs) for (const path of pythonFiles(join(root, d))) out.push({ name: `${s.prefix}/${relative(root, path)}`, path });
  }
  return out;
}

export const readFileOrUndefined = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

export interface FileFindings {
  readonly file: string;
  readonly findings: readonly Finding[];
  readonly problems: readonly string[];
}

/** Runs `ml-notes check`'s analysis on one file (its imports read from disk). */
export function checkFile(path: string, text: string, analyzer = createAnalyzer()): { findings: Finding[]; problems: string[] } {
  const result = checkDocument({ path, text, readFile: readFileOrUndefined }, {}, analyzer);
  return { findings: result.findings, problems: result.problems.map((p) => `${p.rule}: ${p.message}`) };
}

export const findingKey = (file: string, line: number, rule: string): string => `${file}:${line} ${rule}`;

export interface RuleScore {
  truePositives: number;
  falsePositives: number;
  mutants: number;
  found: number;
}

export interface Evaluation {
  readonly files: number;
  readonly findings: number;
  /** Findings with no recorded verdict (must be reviewed). */
  readonly unreviewed: readonly string[];
  /** Verdicts whose finding no longer appears. */
  readonly stale: readonly string[];
  readonly missedMutants: readonly string[];
  readonly problems: readonly string[];
  readonly perRule: ReadonlyMap<string, RuleScore>;
  readonly precision: number;
  readonly recall: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly mutantCount: number;
  readonly mutantsFound: number;
  readonly scripts: number;
}

function score(perRule: Map<string, RuleScore>, rule: string): RuleScore {
  let s = perRule.get(rule);
  if (!s) perRule.set(rule, (s = { truePositives: 0, falsePositives: 0, mutants: 0, found: 0 }));
  return s;
}

/** Applies a mutant's edit; undefined when its text is not where the mutant says. */
export function applyMutant(text: string, m: Mutant): string | undefined {
  const parts = text.split(m.find);
  const count = parts.length - 1;
  if (count === 0) return undefined;
  if (m.occurrence === undefined && count !== 1) return undefined;
  const at = (m.occurrence ?? 1) - 1;
  if (at >= count) return undefined;
  return parts.slice(0, at + 1).join(m.find) + m.replace + parts.slice(at + 1).join(m.find);
}

export function evaluate(options: { corpus?: boolean; mutation?: boolean } = {}): Evaluation {
  const analyzer = createAnalyzer();
  const perRule = new Map<string, RuleScore>();
  const unreviewed: string[] = [];
  const problems: string[] = [];
  const stale: string[] = [];
  let files = 0;
  let findings = 0;
  let truePositives = 0;
  let falsePositives = 0;
  if (options.corpus !== false) {
    const verdicts = new Map(corpusVerdicts().map((v) => [findingKey(v.file, v.line, v.rule), v]));
    const seen = new Set<string>();
    for (const f of corpusFiles()) {
      files++;
      const text = readFileSync(f.path, 'utf8');
      const result = checkFile(f.path, text, analyzer);
      for (const p of result.problems) problems.push(`${f.name}: ${p}`);
      for (const finding of result.findings) {
        findings++;
        const key = findingKey(f.name, finding.range.start.line + 1, finding.rule);
        if (seen.has(key)) continue;
        seen.add(key);
        const v = verdicts.get(key);
        if (!v) {
          unreviewed.push(`${key} ${finding.message}`);
          continue;
        }
        const s = score(perRule, finding.rule);
        if (v.verdict === 'true') {
          s.truePositives++;
          truePositives++;
        } else {
          s.falsePositives++;
          falsePositives++;
        }
      }
    }
    for (const key of verdicts.keys()) if (!seen.has(key)) stale.push(key);
  }
  const missedMutants: string[] = [];
  let mutantCount = 0;
  let mutantsFound = 0;
  const scripts = new Set<string>();
  if (options.mutation !== false) {
    const byName = new Map(corpusFiles().map((f) => [f.name, f.path]));
    for (const m of mutants()) {
      mutantCount++;
      scripts.add(m.file);
      const s = score(perRule, m.rule);
      s.mutants++;
      const path = byName.get(m.file);
      const original = path ? readFileSync(path, 'utf8') : undefined;
      const mutated = original ? applyMutant(original, m) : undefined;
      if (!path || !original || !mutated) {
        missedMutants.push(`${m.id}: the mutation does not apply to ${m.file}`);
        continue;
      }
      const before = checkFile(path, original, analyzer).findings.some((f) => f.rule === m.rule && f.range.start.line + 1 === m.line);
      const after = checkFile(path, mutated, analyzer).findings.filter((f) => f.rule === m.rule);
      if (!before && after.some((f) => f.range.start.line + 1 === m.line)) {
        s.found++;
        mutantsFound++;
      } else {
        missedMutants.push(`${m.id} (${m.rule} at ${m.file}:${m.line})${before ? ': already reported before the mutation' : `: found at ${after.map((f) => f.range.start.line + 1).join(', ') || 'no line'}`}`);
      }
    }
  }
  return {
    files,
    findings,
    unreviewed,
    stale,
    missedMutants,
    problems,
    perRule,
    precision: truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives),
    recall: mutantCount === 0 ? 1 : mutantsFound / mutantCount,
    truePositives,
    falsePositives,
    mutantCount,
    mutantsFound,
    scripts: scripts.size,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The per-rule table the note carries (markdown). */
export function scoreTable(e: Evaluation): string {
  const rows = [...e.perRule.entries()].sort(([a], [b]) => a.localeCompare(b));
  const lines = [
    '| rule | true | false | precision | mutants | found | recall |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(([rule, s]) => {
      const reviewed = s.truePositives + s.falsePositives;
      return `| ${rule} | ${s.truePositives} | ${s.falsePositives} | ${reviewed === 0 ? '—' : pct(s.truePositives / reviewed)} | ${s.mutants} | ${s.found} | ${s.mutants === 0 ? '—' : pct(s.found / s.mutants)} |`;
    }),
    `| **all** | ${e.truePositives} | ${e.falsePositives} | ${pct(e.precision)} | ${e.mutantCount} | ${e.mutantsFound} | ${pct(e.recall)} |`,
  ];
  return lines.join('\n');
}
