// The extension's output channel ("ML Notes"), for timings and problems worth a user's look.
import * as vscode from 'vscode';

export interface Log {
  info(message: string): void;
  error(message: string, error?: unknown): void;
  show(): void;
}

export function createLog(context: vscode.ExtensionContext): Log {
  const channel = vscode.window.createOutputChannel('ML Notes', { log: true });
  context.subscriptions.push(channel);
  return {
    info: (message) => channel.info(message),
    error: (message, error) => channel.error(error instanceof Error ? `${message}: ${error.message}` : message),
    show: () => channel.show(true),
  };
}
