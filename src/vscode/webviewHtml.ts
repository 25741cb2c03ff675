// The HTML shell of every webview: a strict CSP (default-src 'none', nonce scripts, no remote content),
// the bundle and stylesheets served through asWebviewUri, and nothing inline but the bootstrap data.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export interface WebviewShell {
  /** Bundle name under dist/webview (without .js). */
  readonly bundle: string;
  /** Stylesheets under media/ (paths relative to it). */
  readonly styles: readonly string[];
  readonly title: string;
}

export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, shell: WebviewShell): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${shell.bundle}.js`));
  const styles = shell.styles.map((s) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', s)));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.map((s) => `<link rel="stylesheet" href="${s.toString()}">`).join('\n')}
<title>${escapeHtml(shell.title)}</title>
</head>
<body>
<main id="app" tabindex="-1"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
