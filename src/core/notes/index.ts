// The notes index: every topic of the catalogue, grouped by area, with lookup, search and the sidebar tree.
// Topic files hold the content; this module completes each topic (checks from the §11 table, empty lists
// for the optional fields) and offers the read-only queries the editor, the CLI and the webviews need.
import { areas } from './areas';
import { codeChecks } from './codeChecks';
import type { AreaId, AreaInfo, CodeCheckInfo, NoteTopic, NoteTopicSource, NotesTreeArea, NotesTreeTopic } from './types';
import { sequenceModelTopics } from './topics/sequenceModels';
import { attentionTopics } from './topics/attention';
import { generativeTopics } from './topics/generative';
import { cnnArithmeticTopics } from './topics/cnnArithmetic';
import { normalizationInitTopics } from './topics/normalizationInit';
import { optimizationTopics } from './topics/optimization';
import { regularizationTopics } from './topics/regularization';
import { transferMetaTopics } from './topics/transferMeta';
import { graphNetTopics } from './topics/graphNets';
import { mathProbabilityTopics } from './topics/mathProbability';

export type * from './types';
export { areas } from './areas';
export { codeChecks } from './codeChecks';
export { substituteTopic, substitutableTopicIds } from './substitution';
export type { SubstitutionResult } from './substitution';
export { topicView } from './view';

const topicSources: readonly NoteTopicSource[] = [
  ...sequenceModelTopics,
  ...attentionTopics,
  ...generativeTopics,
  ...cnnArithmeticTopics,
  ...normalizationInitTopics,
  ...optimizationTopics,
  ...regularizationTopics,
  ...transferMetaTopics,
  ...graphNetTopics,
  ...mathProbabilityTopics,
];

function checksCiting(topicId: string, table: readonly CodeCheckInfo[]): string[] {
  return table.filter((c) => c.cites.includes(topicId) && !c.retired).map((c) => c.id);
}

function completeTopic(source: NoteTopicSource): NoteTopic {
  return {
    ...source,
    caveats: source.caveats ?? [],
    calculators: source.calculators ?? [],
    simulations: source.simulations ?? [],
    snippets: source.snippets ?? [],
    parameters: source.parameters ?? [],
    related: source.related ?? [],
    checks: checksCiting(source.id, codeChecks),
  };
}

/** All 72 topics, in the catalogue's order. */
export const topics: readonly NoteTopic[] = topicSources.map(completeTopic);

const topicsById: ReadonlyMap<string, NoteTopic> = new Map(topics.map((topic) => [topic.id, topic]));

/** A derivation counts as full when it walks through at least this many steps. */
export const FULL_DERIVATION_MIN_STEPS = 3;

export function listAreas(): readonly AreaInfo[] {
  return areas;
}

export function findArea(id: string): AreaInfo | undefined {
  return areas.find((a) => a.id === id);
}

export function topicsByArea(area: AreaId): readonly NoteTopic[] {
  return topics.filter((t) => t.area === area);
}

export function findTopic(id: string): NoteTopic | undefined {
  return topicsById.get(id);
}

export function findCheck(id: string): CodeCheckInfo | undefined {
  return codeChecks.find((c) => c.id === id.toUpperCase());
}

/** Lower-cased text a topic is searched by: id, title, summary, formulas' text, caveats and check ids. */
function searchableText(topic: NoteTopic): string {
  return [topic.id, topic.title, topic.summary, ...topic.formulas.map((f) => f.text), ...topic.caveats, ...topic.checks].join('\n').toLowerCase();
}

const searchIndex: ReadonlyMap<string, string> = new Map(topics.map((t) => [t.id, searchableText(t)]));

/**
 * Topics matching every word of the query, best first: a hit in the id or title ranks above one in the body.
 * An empty query lists every topic in the catalogue's order (what a quick pick starts from).
 */
export function searchTopics(query: string): readonly NoteTopic[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return topics;
  const scored: { topic: NoteTopic; score: number }[] = [];
  for (const topic of topics) {
    const body = searchIndex.get(topic.id) ?? '';
    if (!words.every((w) => body.includes(w))) continue;
    const head = `${topic.id} ${topic.title}`.toLowerCase();
    const score = words.reduce((sum, w) => sum + (head.includes(w) ? 10 : 1), 0);
    scored.push({ topic, score });
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.topic);
}

/** Levenshtein distance, bounded work: ids are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Ids close to a mistyped one: substring matches first, then the smallest edit distances. */
export function suggestTopicIds(wrongId: string, limit = 3): readonly string[] {
  const needle = wrongId.toLowerCase();
  if (needle.length === 0) return [];
  const ranked = topics.map((t) => {
    const containment = t.id.includes(needle) || needle.includes(t.id) ? 0 : 1;
    return { id: t.id, containment, distance: editDistance(needle, t.id) };
  });
  ranked.sort((a, b) => a.containment - b.containment || a.distance - b.distance || a.id.localeCompare(b.id));
  const maxDistance = Math.max(3, Math.floor(needle.length / 2));
  return ranked.filter((r) => r.containment === 0 || r.distance <= maxDistance).slice(0, limit).map((r) => r.id);
}

function treeTopic(topic: NoteTopic): NotesTreeTopic {
  const hasDerivation = topic.derivation.length > 0;
  const icon = hasDerivation ? 'symbol-namespace' : topic.simulations.length > 0 ? 'play-circle' : 'book';
  return {
    kind: 'topic',
    id: topic.id,
    label: topic.title,
    description: hasDerivation ? `${topic.derivation.length} steps` : '',
    tooltip: topic.summary,
    icon,
    hasDerivation,
    simulations: topic.simulations,
    calculators: topic.calculators,
    hasSnippet: topic.snippets.length > 0,
  };
}

/**
 * The sidebar tree as plain data. With a filter, only topics matching it are kept and empty areas dropped.
 */
export function notesTree(filter?: string): readonly NotesTreeArea[] {
  const query = filter?.trim() ?? '';
  const allowed = query.length > 0 ? new Set(searchTopics(query).map((t) => t.id)) : undefined;
  return areas
    .map((area): NotesTreeArea => ({
      kind: 'area',
      id: area.id,
      label: area.title,
      icon: area.icon,
      children: topicsByArea(area.id)
        .filter((t) => allowed === undefined || allowed.has(t.id))
        .map(treeTopic),
    }))
    .filter((area) => allowed === undefined || area.children.length > 0);
}

/** The read-only API in one object, for callers that prefer it to named imports. */
export const notesIndex = {
  areas: listAreas,
  findArea,
  topicsByArea,
  findTopic,
  findCheck,
  search: searchTopics,
  suggest: suggestTopicIds,
  tree: notesTree,
  all: (): readonly NoteTopic[] => topics,
} as const;
