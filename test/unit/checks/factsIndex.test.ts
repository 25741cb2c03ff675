// The facts' lookups (events of a loop iteration, calls of a module, a module's containers) are indexes
// built once per file: each must answer exactly what a scan of every recorded event or module answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/python/parse';
import { driveFile } from '../../../src/core/checks/facts/drive';
import { CheckFacts, inIteration } from '../../../src/core/checks/facts/facts';
import { allModules, parentsOf } from '../../../src/core/checks/facts/models';
import type { LoopFrame } from '../../../src/core/checks/facts/recorder';

const root = join(__dirname, '../../..');
const files = ['examples/train.py', 'examples/resnet.py', 'test/unit/checks/fixtures/cc01-pos.py', 'test/unit/checks/fixtures/cc03-pos.py', 'test/unit/checks/fixtures/cc32-pos.py'];

describe('check facts indexes', () => {
  for (const file of files) {
    it(`answer as a full scan does on ${file}`, () => {
      const path = join(root, file);
      const facts = new CheckFacts(driveFile({ path, module: parseDocument(readFileSync(path, 'utf8')).module }));
      const frames = new Map<string, LoopFrame>();
      for (const e of facts.events) for (const l of e.context.loops) frames.set(`${l.file}:${l.stmt.r.start.line}:${l.run}:${l.iteration}`, l);
      for (const loop of frames.values()) expect(facts.eventsInIteration(loop)).toEqual(facts.events.filter((e) => inIteration(e, loop)));
      for (const m of allModules(facts)) {
        expect(facts.callsOf(m)).toEqual(facts.calls.filter((c) => c.callee === m));
        const scanned = allModules(facts).flatMap((parent) => {
          const index = facts.driven.session.torch.childrenOf(parent).findIndex(([, c]) => c === m);
          return index >= 0 ? [{ parent, index }] : [];
        });
        expect(parentsOf(facts, m)).toEqual(scanned);
      }
      // The files have loops and modules: the comparisons above ran on something.
      if (file.includes('train') || file.includes('cc01') || file.includes('cc03')) expect(frames.size).toBeGreaterThan(0);
      else expect(allModules(facts).length).toBeGreaterThan(0);
    });
  }
});
