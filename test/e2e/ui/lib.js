// A small driver for the VS Code workbench served by code-server, on top of playwright-core and the
// system Chromium. UI test files (test/e2e/ui/*.ui.js) receive a Workbench and call these helpers, so a
// new case is a few lines: open a file, hover a token, run a command, look into a webview.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const VIEWPORT = { width: 1400, height: 900 };
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Returns a log function that prefixes each line with the seconds since it was created. */
function elapsedLog(prefix = '') {
  const started = Date.now();
  return (...parts) => console.log(`[${((Date.now() - started) / 1000).toFixed(2)}s]${prefix}`, ...parts);
}

/** Launches headless Chromium with a throwaway profile; close() also removes the profile. */
async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-notes-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: VIEWPORT,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || (await context.newPage());
  const close = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries an async probe until it returns a truthy value or the time is up. */
async function poll(probe, { timeout = 15000, interval = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

class Workbench {
  /**
   * @param {import('playwright-core').Page} page
   * @param {{ workspace: string, screenshotDir: string, log: (...a: unknown[]) => void }} options
   */
  constructor(page, { workspace, screenshotDir, log }) {
    this.page = page;
    this.workspace = workspace;
    this.screenshotDir = screenshotDir;
    this.log = log;
    /** Workspace-relative path of the file last opened with openFile. */
    this.activeFile = null;
  }

  /** Opens BASE/?folder=WORKSPACE and waits for the workbench and the explorer to render. */
  static async open(page, { base, workspace, screenshotDir, log = elapsedLog() }) {
    const bench = new Workbench(page, { workspace, screenshotDir, log });
    await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
    log('workbench and explorer ready');
    return bench;
  }

  /** Waits for a status-bar item containing the text (the extension shows one when it is ready). */
  async waitForStatusItem(text, timeout = 60000) {
    const item = this.page.locator('.statusbar-item', { hasText: text }).first();
    await item.waitFor({ state: 'visible', timeout });
    return (await item.innerText()).trim();
  }

  /** Closes editors, panels and widgets so that each case starts from the same state. */
  async reset() {
    await this.page.mouse.move(5, 5);
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Escape');
    // One empty editor group and the Explorer in the side bar, whatever the last case left open.
    await this.runCommand('View: Close All Editor Groups').catch(() => undefined);
    await this.runCommand('View: Show Explorer').catch(() => undefined);
    await this.page.keyboard.press('Escape');
    this.activeFile = null;
  }

  /** Opens a workspace file (path relative to the workspace) and waits for its text to render. */
  async openFile(relativePath, { line } = {}) {
    const text = fs.readFileSync(path.join(this.workspace, relativePath), 'utf8');
    const baseName = path.basename(relativePath);
    const row = this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: baseName }).first();
    if (!relativePath.includes('/') && (await row.count()) > 0) {
      await row.click();
    } else {
      await this.quickOpen(relativePath);
    }
    await this.page.locator('.tab.active', { hasText: baseName }).first().waitFor({ timeout: 30000 });
    await poll(() => this.editorShows(text), { timeout: 30000, what: `the editor to render ${relativePath}` });
    this.activeFile = relativePath;
    if (line) await this.goToLine(line);
    return text;
  }

  /** True when a rendered editor line starts with a non-trivial line of `text`. */
  async editorShows(text) {
    const fileLines = new Set(text.split('\n').map((l) => l.trim()).filter((l) => l.length >= 8));
    const rendered = await this.page.locator('.monaco-editor .view-lines .view-line').allTextContents();
    return rendered.map((l) => l.replace(/\u00a0/g, ' ').trim()).some((l) => [...fileLines].some((f) => l.startsWith(f)));
  }

  /** Quick Open (Ctrl+P) by name; slower than an Explorer click on the first search. */
  async quickOpen(relativePath) {
    await this.page.keyboard.press('Control+P');
    await this.quickInputType(relativePath);
    await this.chooseRow(path.basename(relativePath));
  }

  /** Moves the cursor to a 1-based line (Ctrl+G), which also scrolls it into view. */
  async goToLine(line) {
    const activeGroupEditor = this.page.locator('.editor-group-container.active .monaco-editor textarea').first();
    await ((await activeGroupEditor.count()) > 0 ? activeGroupEditor : this.page.locator('.monaco-editor textarea').first()).focus();
    await this.page.keyboard.press('Control+G');
    await this.quickInputType(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.statusbar-item', { hasText: `Ln ${line},` }).first().waitFor({ timeout: 10000 });
  }

  /** Replaces the text of the open quick input (palette, quick open, quick pick). */
  async quickInputType(text) {
    const input = this.page.locator('.quick-input-widget .quick-input-box input').first();
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(text);
  }

  /**
   * Hovers the first occurrence of `token` in the editor (optionally on the first line containing
   * `onLine`) and returns the hover's text. The hover provider may register after the first request
   * (activation is async), so it moves away and back until a hover shows, up to `attempts` times.
   */
  async hoverText(token, { onLine, contains, attempts = 8 } = {}) {
    const lines = (await this.activeEditorText()).split('\n');
    const lineIndex = lines.findIndex((l) => l.includes(onLine ?? token) && l.includes(token));
    if (lineIndex < 0) throw new Error(`token ${JSON.stringify(token)} not found in the active editor`);
    await this.goToLine(lineIndex + 1);
    await this.page.keyboard.press('Escape');
    const hint = lines[lineIndex].trim().slice(0, 40);
    const hover = this.page.locator('.monaco-hover:not(.hidden) .hover-contents', contains ? { hasText: contains } : {}).first();
    let problem = 'no hover';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      // Measured again on every attempt: CodeLens and inlay hints arriving late move the token.
      const box = await poll(() => this.tokenBox(token, hint), { what: `token ${token} on screen` });
      const centre = { x: box.x + Math.min(box.w / 2, 12), y: box.y + box.h / 2 };
      await this.page.mouse.move(centre.x - 20, centre.y + 60);
      await sleep(200);
      await this.page.mouse.move(centre.x, centre.y, { steps: 5 });
      try {
        await hover.waitFor({ state: 'visible', timeout: 4000 });
        // Let the fade-in finish so a screenshot shows the hover at full contrast.
        await sleep(400);
        const text = (await hover.innerText()).trim();
        if (text.length > 0) return text;
        problem = 'the hover was empty';
      } catch (error) {
        problem = error.message.split('\n')[0];
      }
      this.log(`hover attempt ${attempt} over ${token}: ${problem}`);
    }
    throw new Error(`no hover over ${token} after ${attempts} attempts: ${problem}`);
  }

  /** The text of the file last opened with openFile (the DOM only holds the visible lines). */
  async activeEditorText() {
    if (!this.activeFile) throw new Error('open a file with openFile() before hovering');
    return fs.readFileSync(path.join(this.workspace, this.activeFile), 'utf8');
  }

  /** Screen box of the first rendered occurrence of `token` on a view line containing `lineHint`. */
  async tokenBox(token, lineHint) {
    return this.page.evaluate(([tok, hint]) => {
      for (const line of document.querySelectorAll('.monaco-editor .view-lines .view-line')) {
        if (!line.textContent.replace(/\u00a0/g, ' ').includes(hint)) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent.indexOf(tok);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + tok.length);
          const b = range.getBoundingClientRect();
          return { x: b.x, y: b.y, w: b.width, h: b.height };
        }
      }
      return null;
    }, [token, lineHint]);
  }

  /** Runs a command from the palette (F1) by its full title, e.g. "ML Notes: Open Derivation…". */
  async runCommand(title) {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    await this.quickInputType(`>${title}`);
    await this.chooseRow(title);
  }

  /**
   * Clicks the first quick-input row showing `text` (string or RegExp). A click rather than Enter:
   * Enter takes the focused row, which the palette's ranking may put above the one that matched.
   */
  async chooseRow(text) {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ timeout: 15000 });
    await row.click();
  }

  /** Types `query` into an open quick pick and picks the first row showing `row` (default: the query). */
  async pick(query, { row = query } = {}) {
    await this.quickInputType(query);
    await this.chooseRow(row);
  }

  /**
   * The inner frame of the webview whose document contains `selector` (webviews are
   * iframe.webview → iframe#active-frame). Polls until one does.
   */
  /**
   * The newest webview holding `selector` (with `text` in it, when given): a panel a case opens must be told
   * from the panels earlier cases left open, which may hold the same element (an h1) before the new one loads.
   */
  async webviewFrame(selector = 'body', timeout = 30000, text = undefined) {
    return poll(async () => {
      const count = await this.page.locator('iframe.webview').count();
      for (let i = count - 1; i >= 0; i--) {
        const inner = this.page.frameLocator('iframe.webview').nth(i).frameLocator('#active-frame');
        const found = text === undefined ? inner.locator(selector) : inner.locator(selector).filter({ hasText: text });
        if ((await found.count().catch(() => 0)) > 0) return inner;
      }
      return null;
    }, { timeout, what: `a webview containing ${selector}${text === undefined ? '' : ` with ${text}`}` });
  }

  /** The activity-bar entry whose label starts with `label`. */
  activityBarItem(label) {
    return this.page.locator(`.part.activitybar .action-item .action-label[aria-label^="${label}"]`).first();
  }

  /** Opens the side bar view container whose activity-bar label starts with `label`. */
  async openViewContainer(label) {
    const item = this.activityBarItem(label);
    await item.waitFor({ state: 'visible', timeout: 30000 });
    const selected = await item.locator('xpath=..').getAttribute('class');
    if (!/\bchecked\b/.test(selected || '')) await item.click();
    const title = this.page.locator('.part.sidebar .composite.title', { hasText: label }).first();
    await title.waitFor({ state: 'visible', timeout: 15000 });
    return (await title.innerText()).trim();
  }

  /** Saves a PNG of the viewport under the screenshot dir and returns its path. */
  async screenshot(name) {
    fs.mkdirSync(this.screenshotDir, { recursive: true });
    const file = path.join(this.screenshotDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

module.exports = { Workbench, launchBrowser, elapsedLog, poll, sleep, VIEWPORT };
