// `ml-notes notes`: not built yet; its issue replaces this file.
import type { CliCommand } from '../types';
import { usageError } from '../types';

export const notesCommand: CliCommand = {
  name: 'notes',
  summary: '(not available yet)',
  usage: 'ml-notes notes ...',
  run: () => usageError("'notes' is not available in this build yet"),
};
