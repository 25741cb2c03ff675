// torchvision transform pipelines as the evaluation built them (CC-34, CC-43): each Compose object with its
// transform objects and the role of the data it is used for. A Compose reaches its dataset through variables,
// helper functions and inline arguments (`ImageFolder(valdir, Compose([...]))`); the role comes from the
// dataset's values (`train=False`, `split='val'`, a root path naming val/test) or the names the code gives
// the dataset or the pipeline (`val_tf = Compose(...)`, `test_set = ...`).
import type { ObjectV, Value } from '../../interp/values';
import type { CheckFacts } from './facts';
import { exprName } from './facts';
import type { RecordedCall } from './recorder';

export type Role = 'train' | 'eval';

export interface Pipeline {
  readonly compose: ObjectV;
  readonly construction: RecordedCall;
  readonly items: readonly ObjectV[];
  readonly roles: ReadonlySet<Role>;
}

const EVAL_WORD = /(^|_)(val|valid|validation|test|eval|dev)(_|$|set|data|dataset|loader|transforms?|tf|tfms)/i;
const TRAIN_WORD = /(^|_)train(ing)?(_|$|set|data|dataset|loader|transforms?|tf|tfms)/i;
const EVAL_PATH = /(^|[/\\_'"])(val|valid|validation|test|eval)([/\\_'"]|$)/i;
const TRAIN_PATH = /(^|[/\\_'"])train([/\\_'"]|$)/i;
const EVAL_SPLIT = /^(val|valid|validation|test|eval|dev)/i;

const isCompose = (v: Value | undefined): v is ObjectV => v?.kind === 'object' && v.cls.name === 'Compose';

/** The name a call's result is stored under (`val_set = ...`, `self.val_tf = ...`). */
function assignedName(facts: CheckFacts, c: RecordedCall): string {
  const stmt = facts.ancestorsOf(c).at(-1);
  if (stmt?.k !== 'assign' || stmt.value !== c.expr) return '';
  return stmt.targets.map(exprName).find((n) => n !== undefined) ?? '';
}

const roleOfName = (name: string): Role | undefined => (EVAL_WORD.test(name) ? 'eval' : TRAIN_WORD.test(name) ? 'train' : undefined);

/** The role of a dataset construction by its argument values, its root's text, or its name. */
function datasetRole(facts: CheckFacts, c: RecordedCall, text: (c: RecordedCall) => string | undefined): Role | undefined {
  const train = c.args.keywords.get('train');
  if (train?.kind === 'bool') return train.value ? 'train' : 'eval';
  for (const key of ['split', 'subset', 'mode', 'image_set']) {
    const v = c.args.keywords.get(key);
    if (v?.kind === 'str') return EVAL_SPLIT.test(v.value) ? 'eval' : /^train/i.test(v.value) ? 'train' : undefined;
  }
  const root = c.args.positional[0] ?? c.args.keywords.get('root');
  if (root?.kind === 'str') {
    if (EVAL_PATH.test(root.value)) return 'eval';
    if (TRAIN_PATH.test(root.value)) return 'train';
  }
  const rootText = text(c)?.replace(/dir$/i, '');
  if (rootText && EVAL_PATH.test(rootText)) return 'eval';
  if (rootText && TRAIN_PATH.test(rootText)) return 'train';
  return roleOfName(assignedName(facts, c));
}

/** Every Compose built in the checked file, with its items and the roles of the data it transforms. */
export function pipelines(facts: CheckFacts, rootText: (c: RecordedCall) => string | undefined): Pipeline[] {
  const builtAt = constructionsOf(facts);
  // Only a Compose built in the checked file is a pipeline: without one, the roles below are never read.
  if (![...builtAt].some(([compose, construction]) => isCompose(compose) && construction.file === facts.path)) return [];
  const roles = new Map<ObjectV, Set<Role>>();
  const note = (compose: ObjectV, role: Role | undefined): void => {
    if (!role) return;
    roles.set(compose, (roles.get(compose) ?? new Set()).add(role));
  };
  for (const c of facts.calls) {
    if (isCompose(c.result) && c.file === facts.path) note(c.result, roleOfName(assignedName(facts, c)));
    const transform = c.args.keywords.get('transform') ?? c.args.positional.find(isCompose);
    if (isCompose(transform) && !isCompose(c.result)) note(transform, datasetRole(facts, c, rootText));
  }
  const out: Pipeline[] = [];
  for (const [compose, construction] of builtAt) {
    if (!isCompose(compose) || construction.file !== facts.path) continue;
    const list = construction.args.positional[0] ?? construction.args.keywords.get('transforms');
    if (list?.kind !== 'list' && list?.kind !== 'tuple') continue;
    const items = list.items.flatMap((i) => (i.kind === 'object' ? [i as ObjectV] : []));
    out.push({ compose, construction, items, roles: roles.get(compose) ?? new Set() });
  }
  return out;
}

const constructionMemo = new WeakMap<CheckFacts, Map<ObjectV, RecordedCall>>();

/** Where each object was built (its class call); the map is shared, read it only. */
export function constructionsOf(facts: CheckFacts): ReadonlyMap<ObjectV, RecordedCall> {
  let out = constructionMemo.get(facts);
  if (out) return out;
  out = new Map();
  for (const c of facts.constructions) if (c.result.kind === 'object' && !out.has(c.result)) out.set(c.result, c);
  constructionMemo.set(facts, out);
  return out;
}
