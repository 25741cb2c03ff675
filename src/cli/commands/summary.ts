// `ml-notes summary`: not built yet; its issue replaces this file.
import type { CliCommand } from '../types';
import { usageError } from '../types';

export const summaryCommand: CliCommand = {
  name: 'summary',
  summary: '(not available yet)',
  usage: 'ml-notes summary ...',
  run: () => usageError("'summary' is not available in this build yet"),
};
