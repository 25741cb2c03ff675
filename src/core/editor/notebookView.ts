// A notebook is analysed as one module; each cell's editor shows the part of that analysis that lies in
// the cell, in the cell's own positions. Related places and quick-fix edits in another cell keep their
// range in that cell and name it (`cell`), so a fix made at a call in cell 3 can edit a layer built in
// cell 2. Every field of the view is projected here: a new field is a compile error until it is.
import type { Finding, QuickFix } from '../checks';
import type { Range } from '../values';
import type { Position } from '../ranges';
import type { NotebookModule } from '../notebook/cells';
import { toCellPosition, toCellRange } from '../notebook/cells';
import type { QuickFixData, RelatedSite, ShapeDiagnostic } from './documentAnalysis';
import type { EditorView } from './view';
import type { HoverContent } from './hover';

/** The projection of module positions onto one cell. */
class CellProjection {
  constructor(
    private readonly notebook: NotebookModule,
    readonly cell: number,
  ) {}

  /** The range in this cell's positions, or undefined when it starts in another cell. */
  range(r: Range): Range | undefined {
    const mapped = toCellRange(this.notebook, r);
    return mapped && mapped.cell === this.cell ? mapped.range : undefined;
  }

  position(p: Position): Position | undefined {
    const mapped = toCellPosition(this.notebook, p);
    return mapped && mapped.cell === this.cell ? { line: mapped.line, character: mapped.character } : undefined;
  }

  /** A range anywhere in the notebook: in its own cell's positions, naming that cell when it is not this one. */
  place<T extends { readonly range: Range }>(item: T): (T & { readonly cell?: number }) | undefined {
    const mapped = toCellRange(this.notebook, item.range);
    if (!mapped) return undefined;
    const { cell: _previous, ...rest } = item as T & { cell?: number };
    return { ...(rest as T), range: mapped.range, ...(mapped.cell === this.cell ? {} : { cell: mapped.cell }) };
  }

  /** Items whose range (read by `rangeOf`) starts in this cell, mapped by `map`. */
  within<T>(items: readonly T[], rangeOf: (item: T) => Range, map: (item: T, range: Range) => T | undefined): T[] {
    return items.flatMap((item) => {
      const range = this.range(rangeOf(item));
      const mapped = range ? map(item, range) : undefined;
      return mapped ? [mapped] : [];
    });
  }

  fixes<F extends QuickFix | QuickFixData>(fixes: readonly F[] | undefined): F[] | undefined {
    if (!fixes) return undefined;
    // A fix with an edit outside the module (never expected) is dropped rather than applied in the wrong place.
    return fixes.flatMap((fix) => {
      const edits = fix.edits.map((e) => this.place(e));
      return edits.every((e) => e !== undefined) ? [{ ...fix, edits }] : [];
    });
  }
}

function projectDiagnostic(projection: CellProjection, d: ShapeDiagnostic, range: Range): ShapeDiagnostic {
  const related = d.related?.flatMap((r): RelatedSite[] => {
    const placed = projection.place(r);
    return placed ? [placed] : [];
  });
  const fixes = projection.fixes(d.fixes);
  const { related: _related, fixes: _fixes, ...rest } = d;
  return { ...rest, range, ...(related ? { related } : {}), ...(fixes ? { fixes } : {}) };
}

function projectFinding(projection: CellProjection, f: Finding, range: Range): Finding {
  const fixes = projection.fixes(f.fixes);
  const { fixes: _fixes, ...rest } = f;
  return { ...rest, range, ...(fixes ? { fixes } : {}) };
}

/** The part of a notebook's analysis that lies in one cell (its index among all cells), in that cell's positions. */
export function cellView(view: EditorView, notebook: NotebookModule, cell: number): EditorView {
  const p = new CellProjection(notebook, cell);
  const projected: { [K in keyof Required<EditorView>]: EditorView[K] } = {
    path: view.path,
    requestedFiles: view.requestedFiles,
    elapsedMs: view.elapsedMs,
    layerSeed: view.layerSeed,
    models: p.within(view.models, (m) => m.classRange, (m, classRange) => {
      const nameRange = p.range(m.nameRange);
      return nameRange ? { ...m, classRange, nameRange } : undefined;
    }),
    hints: view.hints.flatMap((h) => {
      const position = p.position(h.position);
      return position ? [{ ...h, position }] : [];
    }),
    // Hovers are rendered on request from the notebook's module (the host maps the cell's position to it).
    hovers: view.hovers,
    variables: p.within(view.variables, (v) => v.statement, (v, statement) => {
      const scope = p.range(v.scope);
      return scope ? { ...v, statement, scope } : undefined;
    }),
    diagnostics: p.within(view.diagnostics, (d) => d.range, (d, range) => projectDiagnostic(p, d, range)),
    findings: p.within(view.findings, (f) => f.range, (f, range) => projectFinding(p, f, range)),
    optimizers: p.within(view.optimizers, (o) => o.range, (o, range) => ({ ...o, range })),
    runError: view.runError,
    stopped: view.stopped,
  };
  return projected;
}

/** A hover found in the notebook's module as one cell shows it: in the cell's positions; nothing when it starts in another cell. */
export function hoverInCell(notebook: NotebookModule, cell: number, hover: HoverContent): HoverContent | undefined {
  const mapped = toCellRange(notebook, hover.range);
  return mapped?.cell === cell ? { ...hover, range: mapped.range } : undefined;
}
