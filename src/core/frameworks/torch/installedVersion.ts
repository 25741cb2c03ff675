// Finds the PyTorch release of the user's Python environment cheaply: the torch/version.py of an active
// virtual or conda environment, or of a virtual environment folder next to the code (.venv, venv, env),
// without running Python. The caller supplies file access, so the core stays free of the file system.
import type { TorchVersion } from './version';
import { torchVersionFromVersionPy } from './version';

export interface EnvironmentAccess {
  readonly readFile: (path: string) => string | undefined;
  /** Names in a directory; empty when it does not exist. */
  readonly listDir: (path: string) => readonly string[];
  /**
   * Whether a folder exists; when given, the environment folders next to the code are looked for with it rather
   * than by listing each parent folder (the CLI's result cache keeps what was looked at: a listing of the home
   * folder would change with every file saved there).
   */
  readonly isDirectory?: (path: string) => boolean;
  /** VIRTUAL_ENV / CONDA_PREFIX of the process, when set. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const VENV_FOLDERS = ['.venv', 'venv', 'env', '.env'];
/** How many parent folders of the code are searched for a virtual environment folder. */
const MAX_PARENTS = 6;

/** The path without its trailing slashes (a loop, not /\/+$/, which is quadratic on many slashes). */
const withoutTrailingSlashes = (dir: string): string => {
  let end = dir.length;
  while (end > 0 && dir[end - 1] === '/') end--;
  return dir.slice(0, end);
};

const parentOf = (dir: string): string | undefined => {
  const trimmed = withoutTrailingSlashes(dir);
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? (trimmed === '' || i < 0 ? undefined : '/') : trimmed.slice(0, i);
};

/** site-packages folders of an environment root (POSIX lib/pythonX.Y and Windows Lib layouts). */
function sitePackages(root: string, io: EnvironmentAccess): string[] {
  const out: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    for (const python of io.listDir(`${root}/${lib}`).filter((n) => /^python\d/.test(n))) out.push(`${root}/${lib}/${python}/site-packages`);
  }
  out.push(`${root}/Lib/site-packages`);
  return out;
}

/** The environment roots to look in, most specific first. */
function environmentRoots(startDir: string, io: EnvironmentAccess): string[] {
  const roots: string[] = [];
  for (const key of ['VIRTUAL_ENV', 'CONDA_PREFIX']) {
    const v = io.env[key];
    if (v) roots.push(v);
  }
  let dir: string | undefined = startDir;
  for (let i = 0; dir !== undefined && i <= MAX_PARENTS; i++, dir = parentOf(dir)) {
    const base = dir === '/' ? '' : dir;
    const listed = io.isDirectory ? undefined : new Set(io.listDir(dir));
    for (const folder of VENV_FOLDERS) if (listed ? listed.has(folder) : io.isDirectory!(`${base}/${folder}`)) roots.push(`${base}/${folder}`);
  }
  return roots;
}

/** The installed release and where it was read, or undefined when no environment with torch is found. */
export function findInstalledTorchVersion(startDir: string, io: EnvironmentAccess): { version: TorchVersion; path: string } | undefined {
  for (const root of environmentRoots(startDir, io)) {
    for (const site of sitePackages(root, io)) {
      const path = `${site}/torch/version.py`;
      const text = io.readFile(path);
      const version = text === undefined ? undefined : torchVersionFromVersionPy(text);
      if (version) return { version, path };
    }
  }
  return undefined;
}
