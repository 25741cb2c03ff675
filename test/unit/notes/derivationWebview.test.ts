// The derivation panel's browser bundle in a real Chromium, under the same strict CSP the host sets
// (default-src 'none', nonce scripts only, styles and fonts from the panel's own origin): it announces
// itself, renders a topic with KaTeX, is keyboard navigable, persists and restores its state, and posts the
// typed messages for its buttons. Screenshots in a light and a dark theme are written for review.
// Skipped when Chromium is not installed (apt-get install chromium).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTopic } from '../../../src/core/notes';
import { substituteTopic } from '../../../src/core/notes/substitution';
import type { ShowTopicMessage } from '../../../src/webview/protocol';

declare global {
  interface Window {
    /** The messages the page posted to the host and the CSP violations it saw, as the test's page script records them. */
    __posted?: { type: string }[];
    __violations?: string[];
  }
}

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../../..');
const SCREENSHOTS = process.env['ML_NOTES_SCREENSHOTS'] ?? join(tmpdir(), 'ml-notes-derivation-screenshots');
const NONCE = 'dGVzdC1ub25jZQ==';

// The subset of VS Code's theme variables the panel's stylesheet uses, with Light+ and Dark+ values.
const THEMES: Readonly<Record<'light' | 'dark', Readonly<Record<string, string>>>> = {
  light: {
    foreground: '#616161', 'editor-background': '#ffffff', descriptionForeground: '#717171', 'textLink-foreground': '#006ab1',
    'button-background': '#007acc', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0062a3', 'button-secondaryBackground': '#5f6a79',
    'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#4c5561', 'input-background': '#ffffff', 'input-foreground': '#616161',
    'input-border': '#cecece', 'badge-background': '#c4c4c4', 'badge-foreground': '#333333', 'textCodeBlock-background': '#dcdcdc66',
    'widget-border': '#d4d4d4', 'sideBarSectionHeader-background': '#80808033', focusBorder: '#0090f1', errorForeground: '#a1260d', 'panel-border': '#80808059',
    'charts-green': '#388a34',
  },
  dark: {
    foreground: '#cccccc', 'editor-background': '#1e1e1e', descriptionForeground: '#9d9d9d', 'textLink-foreground': '#3794ff',
    'button-background': '#0e639c', 'button-foreground': '#ffffff', 'button-hoverBackground': '#1177bb', 'button-secondaryBackground': '#3a3d41',
    'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#45494e', 'input-background': '#3c3c3c', 'input-foreground': '#cccccc',
    'input-border': '#3c3c3c', 'badge-background': '#4d4d4d', 'badge-foreground': '#ffffff', 'textCodeBlock-background': '#0a0a0a66',
    'widget-border': '#303031', 'sideBarSectionHeader-background': '#00000000', focusBorder: '#007fd4', errorForeground: '#f48771', 'panel-border': '#80808059',
    'charts-green': '#89d185',
  },
};

function themeCss(kind: 'light' | 'dark'): string {
  const vars = Object.entries(THEMES[kind]).map(([k, v]) => `--vscode-${k}: ${v};`);
  vars.push("--vscode-font-family: 'DejaVu Sans', sans-serif;", '--vscode-font-size: 13px;', "--vscode-editor-font-family: 'DejaVu Sans Mono', monospace;");
  return `html { ${vars.join(' ')} }\n`;
}

/** The page the host would render, with a fake acquireVsCodeApi whose state survives reloads. */
function pageHtml(origin: string, theme: 'light' | 'dark'): string {
  const csp = [`default-src 'none'`, `img-src ${origin} data:`, `style-src ${origin}`, `font-src ${origin}`, `script-src 'nonce-${NONCE}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${origin}/theme-${theme}.css">
<link rel="stylesheet" href="${origin}/katex/katex.min.css">
<link rel="stylesheet" href="${origin}/derivation.css">
</head><body><main id="app" tabindex="-1"></main>
<script nonce="${NONCE}">
  window.__posted = [];
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(m),
    getState: () => JSON.parse(sessionStorage.getItem('state') || 'null'),
    setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
  });
</script>
<script nonce="${NONCE}" src="${origin}/derivation.js"></script>
</body></html>`;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf' };

// Outside CI a machine without Chromium skips this; in CI (CI=true) a missing browser is a failure.
describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')('derivation webview in Chromium', () => {
  let dir: string;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let page: Page;

  const posted = (): Promise<{ type: string; [key: string]: unknown }[]> => page.evaluate(() => (window.__posted ?? []));
  const violations = (): Promise<string[]> => page.evaluate(() => (window.__violations ?? []));
  const showTopic = (message: ShowTopicMessage): Promise<void> => page.evaluate((m) => window.postMessage(m, '*'), message);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ml-notes-derivation-'));
    await esbuild.build({ entryPoints: [join(ROOT, 'src/webview/derivation/main.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', outfile: join(dir, 'derivation.js'), logLevel: 'silent' });
    writeFileSync(join(dir, 'derivation.css'), readFileSync(join(ROOT, 'media/derivation.css')));
    writeFileSync(join(dir, 'theme-light.css'), themeCss('light'));
    writeFileSync(join(dir, 'theme-dark.css'), themeCss('dark'));
    const katexDist = join(ROOT, 'node_modules/katex/dist');
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const page = /^\/page-(light|dark)\.html$/.exec(url.pathname);
      if (page) {
        response.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml(origin, page[1] as 'light' | 'dark'));
        return;
      }
      const file = url.pathname.startsWith('/katex/') ? join(katexDist, normalize(url.pathname.slice('/katex/'.length))) : join(dir, normalize(url.pathname));
      if (!existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('posts ready, renders the topic with KaTeX under the strict CSP, and shows the substituted numbers', async () => {
    await page.goto(`${origin}/page-light.html`);
    await page.waitForFunction(() => (window.__posted ?? []).some((m) => m.type === 'ready'));
    const topic = findTopic('conv-output-size')!;
    const result = substituteTopic(topic.id, { L: 224, K: 7, S: 2, P: 3, D: 1 });
    if (!result.ok) throw new Error(result.error);
    await showTopic({ type: 'showTopic', topic, substitution: result.substitution, source: 'model.py:12 nn.Conv2d(3, 64, 7, 2, 3)' });
    await page.waitForSelector('h1#topic-title');
    expect(await page.textContent('h1')).toBe(topic.title);
    const counts = await page.evaluate(() => ({
      formulas: document.querySelectorAll('.formula .katex').length,
      steps: document.querySelectorAll('.steps details .katex').length,
      fallbacks: document.querySelectorAll('.math-fallback, .katex-error').length,
      numbers: document.querySelector('.numbers')?.textContent ?? '',
    }));
    // Formulas plus the two substituted lines; one KaTeX block per step.
    expect(counts.formulas).toBe(topic.formulas.length + result.substitution.lines.length);
    expect(counts.steps).toBe(topic.derivation.length);
    expect(counts.fallbacks).toBe(0);
    expect(counts.numbers).toContain('From model.py:12');
    expect(counts.numbers).toContain('112');
    expect(await violations()).toEqual([]);
    // KaTeX's fonts load from the panel's origin (a rendered glyph uses KaTeX_Main or KaTeX_Math).
    const fontLoaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded');
    });
    expect(fontLoaded).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'derivation-light.png'), fullPage: true });
  });

  it('is keyboard navigable: arrows move between steps, Enter collapses one, and the state is saved', async () => {
    await page.focus('.steps summary');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(focused).toMatch(/^Step 2/);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => [...document.querySelectorAll('.steps details')].map((d) => (d as HTMLDetailsElement).open))).toEqual([true, false, true, true, true, true]);
    // The details 'toggle' event is dispatched asynchronously; the state is saved when it arrives.
    await page.waitForFunction(() => (JSON.parse(sessionStorage.getItem('state') ?? 'null') as { collapsed: number[] } | null)?.collapsed.length === 1);
    const state = await page.evaluate(() => JSON.parse(sessionStorage.getItem('state') ?? 'null') as { collapsed: number[]; message: { topic: { id: string } } });
    expect(state.collapsed).toEqual([1]);
    expect(state.message.topic.id).toBe('conv-output-size');
  });

  it('restores the topic and the collapsed steps after a reload', async () => {
    await page.reload();
    await page.waitForSelector('h1#topic-title');
    expect(await page.textContent('h1')).toBe('Convolution and pooling output size');
    expect(await page.evaluate(() => [...document.querySelectorAll('.steps details')].map((d) => (d as HTMLDetailsElement).open))).toEqual([true, false, true, true, true, true]);
    expect((await posted()).filter((m) => m.type === 'ready')).toHaveLength(1);
  });

  it('posts typed messages for the simulation, calculator, snippet, related-topic and substitute controls', async () => {
    await page.click('text=Receptive field on the input grid');
    await page.click('text=Conv output size');
    await page.click('text=Insert: Output size helper');
    await page.click('.related button:has-text("unet")');
    await page.fill('input[name="L"]', '32');
    await page.click('button:has-text("Substitute")');
    const messages = (await posted()).filter((m) => m.type !== 'ready');
    expect(messages[0]).toEqual({ type: 'openSimulation', topicId: 'conv-output-size', simulation: 'receptive-field' });
    expect(messages[1]).toEqual({ type: 'openCalculator', topicId: 'conv-output-size', calculator: 'conv-out', values: { L: 224, K: 7, S: 2, P: 3, D: 1 } });
    // The snippet by topic and index: the host inserts the notes' own code, never code a webview sends (issue 15).
    expect(messages[2]).toEqual({ type: 'insertSnippet', topicId: 'conv-output-size', index: 0 });
    expect(messages[3]).toEqual({ type: 'openTopic', topic: 'unet' });
    expect(messages[4]).toEqual({ type: 'substitute', topicId: 'conv-output-size', values: { L: 32, K: 7, S: 2, P: 3, D: 1 } });
  });

  it('renders a topic without parameters or derivation, and a dark theme, without errors', async () => {
    await page.goto(`${origin}/page-dark.html`);
    await page.waitForFunction(() => (window.__posted ?? []).some((m) => m.type === 'ready'));
    const sqrtD = findTopic('attention-sqrt-d-scaling')!;
    await showTopic({ type: 'showTopic', topic: sqrtD });
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Why attention divides by √d');
    expect(await page.evaluate(() => document.querySelectorAll('.math-fallback, .katex-error').length)).toBe(0);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(30, 30, 30)');
    await page.screenshot({ path: join(SCREENSHOTS, 'derivation-dark.png'), fullPage: true });
    const conceptual = findTopic('seq2seq-rnn-limitations')!;
    await showTopic({ type: 'showTopic', topic: conceptual });
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.startsWith('Why RNN'));
    expect(await page.textContent('#derivation-heading + p')).toMatch(/conceptual topic/);
    expect(await violations()).toEqual([]);
  });

  it('reports a malformed message or saved state to the host log instead of failing silently', async () => {
    await page.evaluate(() => window.postMessage({ type: 'showTopic', topic: { id: 'broken' } }, '*'));
    await page.waitForFunction(() => (window.__posted ?? []).some((m) => m.type === 'log'));
    const logs = (await posted()).filter((m) => m.type === 'log');
    expect(logs[0]).toMatchObject({ type: 'log', level: 'error' });
    // A saved state from an incompatible build: the panel still starts and says it is ready.
    await page.evaluate(() => sessionStorage.setItem('state', JSON.stringify({ message: { type: 'showTopic', topic: { id: 'old' } }, collapsed: [] })));
    await page.reload();
    await page.waitForFunction(() => (window.__posted ?? []).some((m) => m.type === 'ready'));
    expect(await page.textContent('#app')).toMatch(/Open a topic/);
    expect((await posted()).some((m) => m.type === 'log')).toBe(true);
  });
});
