// Property tests run with one fixed seed so CI is reproducible; FC_SEED=<n> explores other inputs locally.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261130) });
