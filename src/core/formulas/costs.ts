// The cost arithmetic of a model, written once: the MAC/FLOP convention every shown cost number follows.
/** The convention every shown cost number follows, in words (CLI, hover, summary panel, CodeLens). */
export const COST_CONVENTION = '1 MAC = one multiply-add; FLOPs = 2·MACs';
