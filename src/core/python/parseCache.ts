// A store of parsed modules by source text that outlives one process (the CLI keeps one on disk, see
// src/node/parseCache.ts): the core asks it before parsing an imported file. ASTs are plain data and never
// mutated, so a stored one serves any later analysis of the same text.
import type { Module } from './ast';

export interface ParseCache {
  get(text: string): Module | undefined;
  set(text: string, module: Module): void;
}
