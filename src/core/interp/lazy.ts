// Parts of a session built when first asked for. An editor analysis makes a session per model run and per check
// unit (121 for the 5,000-line bench file), and a run reads a few of the dozens of modules a session knows:
// building each of them up front was most of createSession's time and allocation.
import type { NamespaceV } from './values';

/** A function that builds its value on the first call and returns that same value on every later call. */
export function once<T>(build: () => T): () => T {
  let built: { readonly value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/** Looks up a module's namespace by its dotted name (undefined when the lookup does not know the module). */
export interface ModuleLookup {
  get(name: string): NamespaceV | undefined;
}

/** Namespaces by module name, each built on its first lookup: every later lookup gets the same object. */
export class LazyModules implements ModuleLookup {
  private readonly builders = new Map<string, () => NamespaceV>();
  constructor(builders: Iterable<readonly [string, () => NamespaceV]> = []) {
    for (const [name, build] of builders) this.defer(name, build);
  }
  /** Registers a module that is built when first looked up. */
  defer(name: string, build: () => NamespaceV): void {
    this.builders.set(name, once(build));
  }
  /** Registers a module already built. */
  set(name: string, namespace: NamespaceV): void {
    this.builders.set(name, () => namespace);
  }
  get(name: string): NamespaceV | undefined {
    return this.builders.get(name)?.();
  }
}
