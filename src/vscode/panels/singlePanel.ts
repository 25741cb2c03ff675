// One reusable webview panel per kind (derivation, simulation): shown again rather than opened twice,
// restored after a reload by its serializer, and fed messages only once its bundle says it is ready.
import * as vscode from 'vscode';
import { localResourceRoots, renderWebviewHtml, type WebviewShell } from '../webviewHtml';
import { describeMessage } from '../webviewMessages';

export interface SinglePanelOptions<ToView, FromView> {
  readonly viewType: string;
  readonly shell: WebviewShell;
  readonly extensionUri: vscode.Uri;
  /** Where the panel opens (default: beside the editor). */
  readonly column?: vscode.ViewColumn;
  /** Handles a message from the webview; `post` answers it. */
  readonly onMessage: (message: FromView, post: (m: ToView) => void) => void;
  /** Checks a raw message against the panel's protocol (src/vscode/webviewMessages.ts); undefined refuses it. */
  readonly validate: (raw: unknown) => FromView | undefined;
  /** Where refused messages are reported. */
  readonly onRefused: (description: string) => void;
}

export class SinglePanel<ToView, FromView extends { type: string }> implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private pending: ToView[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly options: SinglePanelOptions<ToView, FromView>) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(options.viewType, {
        deserializeWebviewPanel: async (panel) => this.adopt(panel),
      }),
    );
  }

  /** Shows the panel (creating it if needed) and delivers the message once the webview is ready. */
  show(message: ToView, title?: string): vscode.WebviewPanel {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        this.options.viewType,
        title ?? this.options.shell.title,
        { viewColumn: this.options.column ?? vscode.ViewColumn.Beside, preserveFocus: false },
        { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: localResourceRoots(this.options.extensionUri) },
      );
      this.adopt(panel);
    } else {
      this.panel.reveal(undefined, false);
    }
    if (title && this.panel) this.panel.title = title;
    this.post(message);
    return this.panel!;
  }

  get visiblePanel(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(this.options.extensionUri) };
    panel.webview.html = renderWebviewHtml(panel.webview, this.options.extensionUri, this.options.shell);
    const listener = panel.webview.onDidReceiveMessage((raw: unknown) => {
      const message = this.options.validate(raw);
      if (!message) {
        this.options.onRefused(describeMessage(raw));
        return;
      }
      if (message.type === 'ready') {
        this.ready = true;
        const queued = this.pending;
        this.pending = [];
        queued.forEach((m) => void panel.webview.postMessage(m));
      }
      this.options.onMessage(message, (m) => this.post(m));
    });
    panel.onDidDispose(() => {
      listener.dispose();
      if (this.panel === panel) {
        this.panel = undefined;
        this.ready = false;
        this.pending = [];
      }
    });
  }

  private post(message: ToView): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
    else this.pending.push(message);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.panel?.dispose();
  }
}
