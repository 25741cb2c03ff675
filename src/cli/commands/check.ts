// `ml-notes check FILE|DIR... [--json] [--disable CC-xx,...]`: the code checks of catalogue §11 as a
// linter. Prints `path:line:col CC-xx message` (1-based); exit 1 when any finding is an error, 0
// otherwise, 2 for bad usage or unreadable input.
import { isAbsolute, relative, resolve } from 'node:path';
import type { CliCommand, CliIo, CliResult } from '../types';
import { usageError } from '../types';
import { runChecks } from '../../core/checks';
import type { Finding, Severity } from '../../core/checks';

const USAGE = 'ml-notes check FILE|DIR... [--json] [--disable CC-xx,CC-yy]';
const RULE_ID = /^CC-\d\d$/;

interface CheckOptions {
  readonly targets: string[];
  readonly json: boolean;
  readonly disabled: string[];
}

function parseOptions(args: readonly string[]): CheckOptions | string {
  const targets: string[] = [];
  const disabled: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--json') json = true;
    else if (flag === '--disable') {
      const value = inline ?? args[++i];
      const ids = (value ?? '').split(',').map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0);
      if (ids.length === 0 || !ids.every((id) => RULE_ID.test(id))) return `--disable needs rule ids such as CC-27,CC-36, got ${value ?? 'nothing'}`;
      disabled.push(...ids);
    } else if (a.startsWith('-')) return `unknown option ${a}`;
    else targets.push(a);
  }
  return targets.length === 0 ? 'missing FILE or DIR' : { targets, json, disabled };
}

interface FileFinding {
  readonly file: string;
  readonly finding: Finding;
}

/** Paths print relative to the working directory when inside it, as linters do. */
const displayPath = (cwd: string, path: string): string => {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
};

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];

export function runCheck(args: readonly string[], io: CliIo): CliResult {
  const options = parseOptions(args);
  if (typeof options === 'string') return usageError(`${options}\nusage: ${USAGE}`);
  const files: string[] = [];
  for (const target of options.targets) {
    const path = resolve(io.cwd, target);
    if (io.isDirectory(path)) {
      const listed = io.listPythonFiles(path);
      if (listed === undefined) return usageError(`cannot read directory ${target}`);
      files.push(...listed);
    } else files.push(path);
  }
  const found: FileFinding[] = [];
  const problems: string[] = [];
  for (const path of files) {
    const text = io.readFile(path);
    if (text === undefined) return usageError(`cannot read ${displayPath(io.cwd, path)}`);
    const result = runChecks({ path, text, readFile: (p) => io.readFile(p) }, { disabled: options.disabled });
    const file = displayPath(io.cwd, path);
    for (const finding of result.findings) found.push({ file, finding });
    for (const p of result.problems) problems.push(`ml-notes: ${file}: ${p.rule} failed: ${p.message}\n`);
  }
  const code = found.some((f) => f.finding.severity === 'error') ? 1 : 0;
  const rows = found.map(({ file, finding }) => ({
    file,
    line: finding.range.start.line + 1,
    col: finding.range.start.character + 1,
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
  }));
  if (options.json) return { stdout: `${JSON.stringify({ findings: rows })}\n`, stderr: problems.join(''), code };
  const lines = rows.map((r) => `${r.file}:${r.line}:${r.col} ${r.rule} ${r.message}\n`);
  const counts = SEVERITY_ORDER.map((s) => [s, rows.filter((r) => r.severity === s).length] as const).filter(([, n]) => n > 0);
  const tally = counts.length > 0 ? `${rows.length} finding(s): ${counts.map(([s, n]) => `${n} ${s}`).join(', ')} in ${files.length} file(s)\n` : '';
  return { stdout: lines.join(''), stderr: problems.join('') + tally, code };
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'lint PyTorch code with the notes\' checks (CC-xx): training loop, losses, init, attention, shapes',
  usage: USAGE,
  run: runCheck,
};
