// The typed message protocol between the extension host and the webview bundles.
// Host and webviews import these types with `import type`, so one definition serves both sides.

/** Messages every panel understands, whatever it shows. */
export type CommonHostToWebview = { readonly type: 'theme'; readonly kind: 'light' | 'dark' | 'high-contrast' };
export type CommonWebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'log'; readonly level: 'info' | 'error'; readonly message: string };
