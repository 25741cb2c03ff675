// The CLI's command table: one file per command.
import type { CliCommand } from '../types';
import { summaryCommand } from './summary';
import { checkCommand } from './check';
import { notesCommand } from './notes';
import { calcCommand } from './calc';
import { annotateCommand } from './annotate';

export const commands: readonly CliCommand[] = [summaryCommand, annotateCommand, checkCommand, notesCommand, calcCommand];
