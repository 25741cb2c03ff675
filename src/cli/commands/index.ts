// The CLI's command table: one file per command, loaded when the command runs (a run initialises only what its
// command needs; `ml-notes --help` loads none).
import type { CliCommand } from '../types';

export const commands: readonly CliCommand[] = [
  { name: 'summary', summary: 'shapes, params, MACs and receptive field of every layer call of a model, statically', load: async () => (await import('./summary')).summaryCommand },
  { name: 'annotate', summary: 'the file with the shapes the editor shows, as trailing comments (or --json)', load: async () => (await import('./annotate')).annotateCommand },
  { name: 'check', summary: 'lint PyTorch code with the notes\' checks (CC-xx): training loop, losses, init, attention, shapes', load: async () => (await import('./check')).checkCommand },
  { name: 'notes', summary: 'List the notes topics, or print one with its derivation (Unicode math)', load: async () => (await import('./notes')).notesCommand },
  { name: 'calc', summary: 'Run a notes calculator (conv/pool sizes, receptive field, attention cost, KV cache, init, ...)', load: async () => (await import('./calc')).calcCommand },
];
