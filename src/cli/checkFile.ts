// Checking one file's text, as `check` does on the main thread and on each of its worker threads.
import type { Analyzer } from '../core';
import { checkDocument } from '../core/checkDocument';
import { importReader } from './files';
import type { CliIo, FileCheckJob, FileCheckOptions, FileCheckOutcome } from './types';

export function checkFileText(io: CliIo, job: FileCheckJob, options: FileCheckOptions, analyzer: Analyzer): FileCheckOutcome {
  const imports = importReader(io, job.path);
  const result = checkDocument({ path: job.path, text: job.text, readFile: imports.read }, { disabled: options.disabled, deadline: Date.now() + options.budgetMs }, analyzer);
  return { ...result, skippedImports: [...imports.skipped] };
}
