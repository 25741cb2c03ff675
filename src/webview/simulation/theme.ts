// Colours for canvas and uPlot drawing, read from VS Code's theme variables so plots follow the theme.

export type SeriesPalette = readonly [blue: string, orange: string, green: string, red: string, purple: string, yellow: string];

export interface Theme {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly background: string;
  /** Distinct series colours (VS Code's chart palette), indexed by name-free position. */
  readonly series: SeriesPalette;
  readonly font: string;
}

function cssVariable(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** Outside VS Code (a plain browser test page) the variables are missing, so neutral fallbacks apply. */
export function readTheme(): Theme {
  const foreground = cssVariable('--vscode-editor-foreground', cssVariable('--vscode-foreground', '#cccccc'));
  return {
    foreground,
    muted: cssVariable('--vscode-descriptionForeground', '#9d9d9d'),
    grid: cssVariable('--vscode-editorWidget-border', cssVariable('--vscode-panel-border', '#80808040')),
    background: cssVariable('--vscode-editor-background', '#1e1e1e'),
    series: [
      cssVariable('--vscode-charts-blue', '#3794ff'),
      cssVariable('--vscode-charts-orange', '#d18616'),
      cssVariable('--vscode-charts-green', '#89d185'),
      cssVariable('--vscode-charts-red', '#f14c4c'),
      cssVariable('--vscode-charts-purple', '#b180d7'),
      cssVariable('--vscode-charts-yellow', '#cca700'),
    ],
    font: `${cssVariable('--vscode-font-size', '13px')} ${cssVariable('--vscode-font-family', 'sans-serif')}`,
  };
}

/** The colour of series `index`; past the palette's six colours it starts again. */
export function seriesColor(theme: Theme, index: number): string {
  return theme.series[index % theme.series.length] ?? theme.foreground;
}

/** The same colour with an alpha, for fills and ghosts (works for #rgb, #rrggbb and rgb()/rgba() values). */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(color.trim())?.[1];
  if (hex !== undefined) {
    const digits = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex.slice(0, 6);
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/i.exec(color.trim())?.[1];
  if (rgb !== undefined) {
    const [r, g, b] = rgb.split(',').map((part) => part.trim());
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return color;
}
