// `ml-notes calc`: not built yet; its issue replaces this file.
import type { CliCommand } from '../types';
import { usageError } from '../types';

export const calcCommand: CliCommand = {
  name: 'calc',
  summary: '(not available yet)',
  usage: 'ml-notes calc ...',
  run: () => usageError("'calc' is not available in this build yet"),
};
