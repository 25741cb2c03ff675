// The message a derivation panel is opened with, built in one call from a topic id and optional numbers,
// so the editor's hover links, tree and panel all open topics the same way.
import { findTopic } from './index';
import { substituteTopic } from './substitution';
import type { TopicView } from './types';

/**
 * The view of a topic; with values, its derivation evaluated with them (or the reason it could not be).
 * Undefined for an unknown topic id.
 */
export function topicView(topicId: string, values?: Readonly<Record<string, number>>, source?: string): TopicView | undefined {
  const topic = findTopic(topicId);
  if (!topic) return undefined;
  const withSource = source === undefined ? {} : { source };
  if (values === undefined) return { type: 'showTopic', topic, ...withSource };
  const result = substituteTopic(topicId, values);
  return result.ok
    ? { type: 'showTopic', topic, substitution: result.substitution, ...withSource }
    : { type: 'showTopic', topic, substitutionError: result.error, ...withSource };
}
