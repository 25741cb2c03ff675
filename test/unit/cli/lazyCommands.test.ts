// The CLI loads a command's module when that command runs (src/cli/commands/index.ts), so a run initialises
// only what its command needs; the bundle's mathjs is only its parser (scripts/build/mathjsParser.mjs), and
// parses symbolic dims as the package does; its Python parser decodes the grammar on first use
// (scripts/build/lezerPythonOnUse.mjs) and parses as the package does (the run below parses with --no-cache).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { build, buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import { commands } from '../../../src/cli/commands';
import { nodeIo } from '../../../src/cli/nodeIo';
import type { CliCommand } from '../../../src/cli/types';
import { CLI_ALIASES, REPO_ROOT, buildCli } from './buildCli';

/** The real command table, counting which commands' modules are loaded. */
function countingTable(): { table: CliCommand[]; loaded: string[] } {
  const loaded: string[] = [];
  const table = commands.map((c) => ({ ...c, load: () => (loaded.push(c.name), c.load()) }));
  return { table, loaded };
}

/** Every source file a bundle of `entry` would hold. */
function bundledSources(entry: string, alias: Record<string, string> = {}): string[] {
  const built = buildSync({ entryPoints: [join(REPO_ROOT, entry)], bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, logLevel: 'silent', outfile: 'out.js', alias });
  return Object.keys(built.metafile.inputs);
}

describe('commands loaded on demand', () => {
  it('loads none for the command list and only the command that runs', async () => {
    const io = nodeIo(REPO_ROOT);
    const { table, loaded } = countingTable();
    const help = await runCli(['--help'], io, table);
    expect(help.code).toBe(0);
    for (const name of ['summary', 'annotate', 'check', 'notes', 'calc']) expect(help.stdout).toContain(`  ${name}`);
    expect(loaded).toEqual([]);
    const calc = await runCli(['calc', 'conv-out', 'in=224', 'kernel=7', 'stride=2', 'padding=3', '--json'], io, table);
    // ⌊(224 + 2·3 − 7)/2⌋ + 1 = 112.
    expect(JSON.parse(calc.stdout).result).toBe(112);
    expect(loaded).toEqual(['calc']);
    const usage = await runCli(['check', '--help'], io, table);
    expect(usage.stdout).toMatch(/^usage: ml-notes check /);
    expect(loaded).toEqual(['calc', 'check']);
  });

  it('gives a summary none of the notes, the check rules or the calculators', () => {
    const sources = bundledSources('src/cli/commands/summary.ts');
    expect(sources).toContain('src/core/interp/interpreter.ts');
    expect(sources.filter((s) => /^src\/core\/(notes|checks|calculators)\//.test(s))).toEqual([]);
  });

  it("bundles mathjs's parser alone and a Python parser decoded on first use, which answer as the packages do", async () => {
    const sources = bundledSources('src/cli.ts', CLI_ALIASES);
    expect(sources.some((s) => s.includes('mathjs/lib/esm/expression/parse.js'))).toBe(true);
    expect(sources.filter((s) => /mathjs\/lib\/esm\/entry\/(pure|impure)FunctionsAny/.test(s))).toEqual([]);
    expect(sources).toContain('scripts/build/lezerPythonOnUse.mjs');
    // One @lezer/lr for the parser and the analysis (a second copy would not know the first one's trees).
    expect(sources.filter((s) => s.endsWith('@lezer/lr/dist/index.js'))).toHaveLength(1);
    const dist = buildCli();
    const args = ['summary', join(REPO_ROOT, 'examples/unet.py'), '--input', '2,3,H,W', '--json', '--no-cache'];
    const bundled = JSON.parse(execFileSync('node', [join(dist, 'cli.js'), ...args], { encoding: 'utf8' })) as { output: unknown; params: number };
    // In process the package's own entry parses `H` and `W` (vitest does not alias it).
    const inProcess = await runCli(args, nodeIo(REPO_ROOT));
    expect(bundled).toEqual(JSON.parse(inProcess.stdout));
    expect(JSON.stringify(bundled.output)).toMatch(/H/);
  }, 60_000);

  it("initialises mathjs's modules when its parser is first made, not when the bundle loads", async () => {
    // The CLI's mathjs (scripts/build/mathjsParser.mjs) over stand-ins for the two package files it takes: each
    // notes when it is initialised; the program says whether they were before and after the first create().
    const dir = mkdtempSync(join(tmpdir(), 'ml-notes-mathjs-'));
    const standIns: Record<string, string> = {
      'core/create.js': "globalThis.initialised = [...(globalThis.initialised ?? []), 'create'];\nexport const create = (factories) => ({ dependencies: factories.parseDependencies });\n",
      'dependenciesParse.generated.js': "globalThis.initialised = [...(globalThis.initialised ?? []), 'dependencies'];\nexport const parseDependencies = { packages: true };\n",
    };
    for (const [name, text] of Object.entries(standIns)) writeFileSync(join(dir, name.replace('/', '-')), text);
    writeFileSync(
      join(dir, 'entry.mjs'),
      "import { create, parseDependencies } from 'mathjs';\nconst before = [...(globalThis.initialised ?? [])];\nconst made = create({ parseDependencies });\nconsole.log(JSON.stringify({ before, after: globalThis.initialised, dependencies: made.dependencies }));\n",
    );
    const out = join(dir, 'out.cjs');
    await build({
      entryPoints: [join(dir, 'entry.mjs')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: out,
      logLevel: 'silent',
      alias: { mathjs: CLI_ALIASES.mathjs },
      plugins: [
        {
          name: 'stand-ins',
          setup(build) {
            build.onResolve({ filter: /mathjs\/lib\/esm\/(core\/create|entry\/dependenciesAny\/dependenciesParse\.generated)\.js$/ }, (args) => ({
              path: join(dir, args.path.endsWith('create.js') ? 'core-create.js' : 'dependenciesParse.generated.js'),
            }));
          },
        },
      ],
    });
    const seen = JSON.parse(execFileSync('node', [out], { encoding: 'utf8' })) as { before: string[]; after: string[]; dependencies: unknown };
    expect(seen.before).toEqual([]);
    expect([...seen.after].sort()).toEqual(['create', 'dependencies']);
    // create() is given the package's parser dependencies, not the shim's placeholder.
    expect(seen.dependencies).toEqual({ packages: true });
  });
});
