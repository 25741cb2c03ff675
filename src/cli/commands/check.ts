// `ml-notes check`: not built yet; its issue replaces this file.
import type { CliCommand } from '../types';
import { usageError } from '../types';

export const checkCommand: CliCommand = {
  name: 'check',
  summary: '(not available yet)',
  usage: 'ml-notes check ...',
  run: () => usageError("'check' is not available in this build yet"),
};
