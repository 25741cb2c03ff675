// The notes in the editor: the "ML Notes" reference tree in the activity bar and the derivation panel.
import * as vscode from 'vscode';
import type { NotesTreeArea, NotesTreeTopic, NoteTopic } from '../core/notes/types';
import type { DerivationToHost, HostToDerivation } from '../webview/protocol';
import type { Log } from './log';
import { SinglePanel } from './panels/singlePanel';
import { derivationMessage } from './webviewMessages';

type NotesNode = NotesTreeArea | NotesTreeTopic;

/** The notes data is loaded on first use, so activation does not pay for evaluating 72 topics. */
const loadNotes = () => import('../core/notes');

class NotesTreeProvider implements vscode.TreeDataProvider<NotesNode> {
  private tree: Promise<{ areas: readonly NotesTreeArea[]; parents: Map<string, NotesTreeArea> }> | undefined;

  private load() {
    this.tree ??= loadNotes().then(({ notesTree }) => {
      const areas = notesTree();
      return { areas, parents: new Map<string, NotesTreeArea>(areas.flatMap((a) => a.children.map((t) => [t.id, a] as const))) };
    });
    return this.tree;
  }

  getTreeItem(node: NotesNode): vscode.TreeItem {
    if (node.kind === 'area') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `area:${node.id}`;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.description = `${node.children.length}`;
      item.contextValue = 'area';
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = `topic:${node.id}`;
    item.description = node.description;
    item.tooltip = new vscode.MarkdownString(node.tooltip);
    item.iconPath = new vscode.ThemeIcon(node.icon);
    item.command = { command: 'mlNotes.openDerivation', title: vscode.l10n.t('Open Derivation'), arguments: [node.id] };
    item.contextValue = ['topic', node.hasSnippet ? 'snippet' : '', node.simulations.length ? 'simulation' : '', node.calculators.length ? 'calculator' : '']
      .filter(Boolean)
      .join(' ');
    return item;
  }

  async getChildren(node?: NotesNode): Promise<NotesNode[]> {
    if (!node) return [...(await this.load()).areas];
    return node.kind === 'area' ? [...node.children] : [];
  }

  async getParent(node: NotesNode): Promise<NotesNode | undefined> {
    return node.kind === 'topic' ? (await this.load()).parents.get(node.id) : undefined;
  }

  async topicNode(id: string): Promise<NotesTreeTopic | undefined> {
    return (await this.load()).parents.get(id)?.children.find((t) => t.id === id);
  }
}

/** The topic a command was invoked on: an id, a tree node, or nothing (then the user picks one). */
async function resolveTopic(arg: unknown): Promise<NoteTopic | undefined> {
  const { findTopic, searchTopics } = await loadNotes();
  const id = typeof arg === 'string' ? arg : (arg as NotesTreeTopic | undefined)?.kind === 'topic' ? (arg as NotesTreeTopic).id : undefined;
  if (id) {
    const topic = findTopic(id);
    if (!topic) void vscode.window.showWarningMessage(vscode.l10n.t("ML Notes has no topic '{0}'.", id));
    return topic;
  }
  const picked = await vscode.window.showQuickPick(
    searchTopics('').map((t) => ({ label: t.title, description: t.area, detail: t.summary, id: t.id })),
    { title: vscode.l10n.t('ML Notes: Open Derivation'), placeHolder: vscode.l10n.t('Type to search the notes'), matchOnDescription: true, matchOnDetail: true },
  );
  return picked ? findTopic(picked.id) : undefined;
}

/** The sidebar's data as the tree view sees it (extension-host tests read it through the extension's API). */
export interface NotesViewApi {
  children(node?: NotesTreeArea | NotesTreeTopic): Promise<(NotesTreeArea | NotesTreeTopic)[]>;
}

export function registerNotes(context: vscode.ExtensionContext, log: Log): NotesViewApi {
  const provider = new NotesTreeProvider();
  const view = vscode.window.createTreeView('mlNotes.reference', { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(view);

  const panel = new SinglePanel<HostToDerivation, DerivationToHost>({
    viewType: 'mlNotes.derivation',
    extensionUri: context.extensionUri,
    shell: { bundle: 'derivation', styles: ['katex/katex.min.css', 'derivation.css'], title: 'ML Notes' },
    validate: derivationMessage,
    onRefused: (what) => log.info(`derivation panel: ignored a message (${what})`),
    onMessage: (message, post) => {
      switch (message.type) {
        case 'insertSnippet':
          // Only a snippet the notes define, looked up by topic and index.
          void loadNotes().then(({ findTopic }) => {
            const snippet = findTopic(message.topicId)?.snippets[message.index];
            if (snippet) void insertSnippet(snippet.code);
            else log.info(`derivation panel: no snippet ${message.index} in topic '${message.topicId}'`);
          });
          break;
        case 'substitute':
          void loadNotes().then(({ topicView }) => {
            const view = topicView(message.topicId, message.values);
            if (view) post(view);
          });
          break;
        case 'openTopic':
          void vscode.commands.executeCommand('mlNotes.openDerivation', message.topic);
          break;
        case 'openSimulation':
          void vscode.commands.executeCommand('mlNotes.openSimulation', { simulation: message.simulation });
          break;
        case 'openCalculator':
          void vscode.commands.executeCommand('mlNotes.calculator', { id: message.calculator });
          break;
        case 'log':
          if (message.level === 'error') log.error(`derivation panel: ${message.message}`);
          break;
        default:
          break;
      }
    },
  });
  context.subscriptions.push(panel);

  context.subscriptions.push(
    // Arguments: a topic id (optionally with the user's numbers and where they came from), a tree node, or none.
    vscode.commands.registerCommand('mlNotes.openDerivation', async (arg?: unknown, values?: Record<string, number>, source?: string) => {
      const topic = await resolveTopic(arg);
      const view = topic && (await loadNotes()).topicView(topic.id, values, source);
      if (view) panel.show(view, `ML Notes: ${topic.title}`);
    }),
    vscode.commands.registerCommand('mlNotes.revealTopic', async (arg?: unknown) => {
      const topic = await resolveTopic(arg);
      const node = topic && (await provider.topicNode(topic.id));
      if (node) await view.reveal(node, { select: true, focus: true, expand: true });
    }),
    vscode.commands.registerCommand('mlNotes.insertSnippet', async (arg?: unknown) => {
      const topic = await resolveTopic(arg);
      const snippet = topic?.snippets[0];
      if (snippet) await insertSnippet(snippet.code);
      else if (topic) void vscode.window.showInformationMessage(vscode.l10n.t("The topic '{0}' has no snippet.", topic.title));
    }),
  );
  return { children: (node) => provider.getChildren(node) };
}

async function insertSnippet(code: string): Promise<void> {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'python') ?? vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a Python file to insert the snippet into.'));
    return;
  }
  await editor.insertSnippet(new vscode.SnippetString().appendText(code), editor.selection.active);
}
