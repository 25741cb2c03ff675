// A stored parse keeps module-level functions' and methods' bodies aside and reads one when something first asks
// for it: the module read back equals a fresh parse, a summary from it equals one from fresh parses while most
// bodies are never read, and a file that does not hold the bodies it names is not read. Ranges are kept as four
// numbers each.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../src/core/index';
import type { FunctionDef, Module } from '../../../src/core/python/ast';
import { parseModule } from '../../../src/core/python/parse';
import { diskParseCache } from '../../../src/node/parseCache';
import { storedParse, storedParseText } from '../../../src/node/storedParse';

const root = join(__dirname, '../../..');
const resnetPath = join(root, 'test/oracle/corpus/torchvision/models/resnet.py');

const SOURCE = `import torch.nn as nn


def helper(x):
    def inner(y):
        return y + 1
    return inner(x)


if True:
    def in_branch():
        return 2


class Net(nn.Module):
    scale = 3

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    @staticmethod
    def twice(v):
        return 2 * v

    class Inner:
        def method(self):
            return 'inner'
`;

/** Module-level functions and methods of module-level classes whose body has not been read. */
const unreadBodies = (module: Module): string[] =>
  module.body
    .flatMap((s) => (s.k === 'def' ? [s] : s.k === 'class' ? s.body.filter((m): m is FunctionDef => m.k === 'def') : []))
    .filter((def) => Object.getOwnPropertyDescriptor(def, 'body')?.get !== undefined)
    .map((def) => def.name);

describe('stored parses', () => {
  it('read back equal to a fresh parse, each body when first asked for', () => {
    const stored = storedParse(storedParseText(SOURCE, parseModule(SOURCE)), SOURCE)!;
    expect(unreadBodies(stored)).toEqual(['helper', '__init__', 'twice']);
    expect(stored).toEqual(parseModule(SOURCE));
    expect(unreadBodies(stored)).toEqual([]);
    const empty = 'x = 1\n';
    expect(storedParse(storedParseText(empty, parseModule(empty)), empty)).toEqual(parseModule(empty));
    expect(storedParse(storedParseText(SOURCE, parseModule(SOURCE)), `${SOURCE}\n`)).toBeUndefined();
  });

  it('keeps each range as its four numbers, read back as the range a parse gives', () => {
    const text = readFileSync(resnetPath, 'utf8');
    const module = parseModule(text);
    const stored = storedParseText(text, module);
    const lines = stored.split('\n').slice(1).join('\n');
    expect(lines).not.toContain('"start"');
    // `class BasicBlock(nn.Module):` is on line 59 (0-based 58), its name from character 6 to 16.
    const block = module.body.find((s) => s.k === 'class' && s.name === 'BasicBlock')!;
    expect(block.k === 'class' && block.nameRange).toEqual({ start: { line: 58, character: 6 }, end: { line: 58, character: 16 } });
    expect(lines).toContain('"nameRange":[58,6,58,16]');
    const read = storedParse(stored, text)!;
    expect(read).toEqual(module);
    expect(JSON.stringify(read)).toBe(JSON.stringify(module));
  });

  it("gives a summary equal to fresh parses' and reads only the bodies it runs", () => {
    const text = readFileSync(resnetPath, 'utf8');
    const cache = diskParseCache(mkdtempSync(join(tmpdir(), 'ml-notes-stored-')), 'bundle-a');
    const request = { path: resnetPath, text, model: 'resnet18()', inputs: ['1,3,224,224'], readFile: (path: string) => (path === resnetPath ? text : undefined) };
    const fresh = createAnalyzer().summarizeModel(request);
    createAnalyzer({ parseCache: cache }).summarizeModel(request);
    const served: Module[] = [];
    const serving = {
      get: (t: string): Module | undefined => {
        const module = cache.get(t);
        if (module) served.push(module);
        return module;
      },
      set: (): void => undefined,
    };
    const fromStore = createAnalyzer({ parseCache: serving }).summarizeModel(request);
    expect(fromStore).toEqual(fresh);
    // ResNet-18 as PyTorch counts it (torchvision's documented 11,689,512 parameters).
    expect((fromStore as { params: number }).params).toBe(11_689_512);
    const file = served.find((m) => m.body.length > 20)!;
    // Of the file's builders (resnet18 ... wide_resnet101_2) only resnet18 and _resnet ran.
    expect(unreadBodies(file)).toEqual(expect.arrayContaining(['resnet34', 'resnet50', 'wide_resnet101_2']));
    expect(unreadBodies(file)).not.toContain('resnet18');
  });

  it('is not read when its lines do not match the bodies it keeps aside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-notes-stored-'));
    const cache = diskParseCache(dir, 'bundle-a');
    cache.set(SOURCE, parseModule(SOURCE));
    const [folder] = readdirSync(join(dir, 'parse'));
    const [name] = readdirSync(join(dir, 'parse', folder!));
    const file = join(dir, 'parse', folder!, name!);
    const whole = readFileSync(file, 'utf8');
    writeFileSync(file, whole.slice(0, whole.lastIndexOf('\n')));
    expect(cache.get(SOURCE)).toBeUndefined();
    writeFileSync(file, `${whole}\n[]`);
    expect(cache.get(SOURCE)).toBeUndefined();
    writeFileSync(file, whole);
    expect(cache.get(SOURCE)).toEqual(parseModule(SOURCE));
  });
});
