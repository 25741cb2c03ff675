// Wires the interpreter, the standard library and the torch runtime into one analysis session.
import type { Module } from '../python/ast';
import { parseModule } from '../python/parse';
import type { Budget } from './interpreter';
import { Interpreter } from './interpreter';
import { createStdLib } from './builtins';
import { TorchRuntime } from './torch';
import type { TorchVersion } from '../frameworks/torch/version';
import { createLibrary } from './library';
import type { ModuleLookup } from './lazy';

export interface Session {
  readonly interp: Interpreter;
  readonly torch: TorchRuntime;
}

export interface SessionOptions {
  readonly readFile?: (path: string) => string | undefined;
  readonly budget?: Budget;
  /** Parses imported files; the default parses from scratch. */
  readonly parse?: (text: string) => Module;
  /** The Python environment's site-packages folders, where installed model libraries are read from. */
  readonly sitePackages?: readonly string[];
  /** The user's PyTorch release (the newest the catalogue knows when absent). */
  readonly torchVersion?: TorchVersion;
  /** Environment variables the user's run sets; os.environ.get and os.getenv of any other are unknown. */
  readonly environment?: Readonly<Record<string, string>>;
}

export function createSession(options: SessionOptions = {}): Session {
  const interp = new Interpreter(options.readFile ?? (() => undefined), options.parse ?? parseModule, options.budget, options.sitePackages);
  const std = createStdLib(interp, options.environment ?? {});
  interp.builtins = std.builtins;
  interp.objectClass = std.objectClass;
  const library = createLibrary(interp);
  // Standard-library and training-library modules: each is built on its first import (./lazy).
  const modules: ModuleLookup = { get: (name) => std.modules.get(name) ?? library.get(name) };
  const torch = new TorchRuntime(interp, modules, options.torchVersion);
  interp.torch = torch;
  return { interp, torch };
}
