// Checking one file's text, as `check` does on the main thread and on each of its worker threads.
import type { Analyzer } from '../core';
import { checkDocument } from '../core/checkDocument';
import { importReader } from './files';
import type { CliIo, FileCheckJob, FileCheckOptions, FileCheckOutcome } from './types';

export function checkFileText(io: CliIo, job: FileCheckJob, options: FileCheckOptions, analyzer: Analyzer): FileCheckOutcome {
  const imports = importReader(io, job.path);
  const result = checkDocument({ path: job.path, text: job.text, readFile: imports.read }, { disabled: options.disabled, deadline: Date.now() + options.budgetMs }, analyzer);
  // A run checks each file once: the analyzer's copy of its parse (a syntax tree as large as the file, many
  // times over) is not needed again, and a run over thousands of files would keep every one.
  analyzer.close(job.path);
  return { ...result, skippedImports: [...imports.skipped] };
}
