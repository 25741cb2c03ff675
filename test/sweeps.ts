// The corpus sweeps run the analysis or the checks over every .py file of Python's standard library and of
// the installed torch and torchvision, and `ml-notes check` over the real-world sources: about 80 s of test time
// on two cores (measured: stdlib 31 s, torch 26 s, checks over torch+torchvision 16 s, torchvision 7 s). They
// run in CI (CI=true), under `npm test` and on demand (`npm run test:sweeps`); a plain local `vitest` run
// skips them so the edit-test loop stays fast.
export const CORPUS_SWEEPS = process.env.CI === 'true' || process.env.ML_NOTES_SWEEPS === '1';
