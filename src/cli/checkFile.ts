// Checking one file's text, as `check` does on the main thread and on each of its worker threads.
import type { Analyzer } from '../core';
import { checkDocument } from '../core/checkDocument';
import { importReader } from './files';
import type { CliIo, FileCheckJob, FileCheckOptions, FileCheckOutcome } from './types';

/**
 * Checks one file; when the io keeps answers, the outcome carries what the check read (the result cache keeps
 * it with that read set). One that took half its time budget or more is not kept: a faster run could get further.
 */
export function checkFileText(io: CliIo, job: FileCheckJob, options: FileCheckOptions, analyzer: Analyzer): FileCheckOutcome {
  const started = Date.now();
  const check = (): FileCheckOutcome => {
    const imports = importReader(io, job.path);
    const result = checkDocument({ path: job.path, text: job.text, readFile: imports.read }, { disabled: options.disabled, deadline: started + options.budgetMs }, analyzer);
    // A run checks each file once: the analyzer's copy of its parse (a syntax tree as large as the file, many
    // times over) is not needed again, and a run over thousands of files would keep every one.
    analyzer.close(job.path);
    return { ...result, skippedImports: [...imports.skipped] };
  };
  if (!io.recorder || !io.fileResults) return check();
  const { value, reads } = io.recorder.record(check);
  return reads && (Date.now() - started) * 2 < options.budgetMs ? { ...value, reads } : value;
}
