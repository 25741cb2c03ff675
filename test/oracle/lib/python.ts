// The one Python interpreter every oracle test, sweep and measurement script runs real PyTorch with:
// ML_NOTES_PYTHON when set (a venv with PyTorch 2.x, say), else Debian's /usr/bin/python3 with python3-torch
// (the `python3` first on PATH may have no torch, or another version than the one the tests are measured with).
export const TORCH_PYTHON = process.env.ML_NOTES_PYTHON || '/usr/bin/python3';

/** The release of Debian's python3-torch the oracle runs and the expectations were recorded with: the CLI answers for it. */
export const ORACLE_TORCH_VERSION = '1.13.1';
