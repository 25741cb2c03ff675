// The site-packages folders of the Python environment a model file runs in, found without running Python:
// an active virtual or conda environment, a virtual environment folder beside the code (.venv, venv, env),
// then the system's (Debian's /usr/lib/python3/dist-packages, /usr/local/lib/pythonX.Y/dist-packages).
// The analysis reads installed model libraries (torchvision, torchaudio, torchtext) from them.
import { dirname, join } from 'node:path';
import { type SyncFs, syncFs } from '../node/readSet';

const VENV_FOLDERS = ['.venv', 'venv', 'env'];
/** How many folders above the code are searched for a virtual environment folder. */
const MAX_PARENTS = 6;

const isDirectory = (path: string, fs: SyncFs): boolean => {
  try {
    return fs.stat(path).isDirectory();
  } catch {
    return false;
  }
};

const pythonFolders = (lib: string, fs: SyncFs): string[] => {
  try {
    return fs.list(lib).map((entry) => entry.name).filter((name) => /^python3(\.\d+)?$/.test(name)).sort().reverse();
  } catch {
    return [];
  }
};

/** site-packages (and Debian's dist-packages) of one environment prefix. */
function prefixSitePackages(prefix: string, fs: SyncFs): string[] {
  const out: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    for (const python of pythonFolders(join(prefix, lib), fs)) out.push(join(prefix, lib, python, 'site-packages'), join(prefix, lib, python, 'dist-packages'));
  }
  out.push(join(prefix, 'Lib', 'site-packages'));
  return out;
}

/** The site-packages folders for code in `codeDir`, found through `fs` (the CLI's io records what it looked at). */
export function environmentSitePackages(codeDir: string, env: Readonly<Record<string, string | undefined>>, fs: SyncFs = syncFs()): string[] {
  const prefixes: string[] = [];
  for (const key of ['VIRTUAL_ENV', 'CONDA_PREFIX']) {
    const value = env[key];
    if (value) prefixes.push(value);
  }
  let dir = codeDir;
  for (let i = 0; i < MAX_PARENTS; i++) {
    for (const name of VENV_FOLDERS) if (fs.exists(join(dir, name, 'pyvenv.cfg'))) prefixes.push(join(dir, name));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const folders = prefixes.flatMap((prefix) => prefixSitePackages(prefix, fs));
  folders.push(...prefixSitePackages('/usr/local', fs), '/usr/lib/python3/dist-packages', ...prefixSitePackages('/usr', fs));
  return [...new Set(folders)].filter((folder) => isDirectory(folder, fs));
}
