// What a TypeScript file imports, read from its syntax tree (TypeScript's own parser, so comments and
// strings never count): every static import and re-export, `import type`, dynamic `import()`, `require()`
// and `import x = require()`, with relative specifiers resolved to repository paths.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export interface Import {
  /** The specifier as written: `../formulas/conv`, `mathjs`, `node:fs`. */
  readonly specifier: string;
  /** For a relative specifier, the file it names, relative to the repository with `/` separators. */
  readonly file?: string;
  /** For a package, its name (`@lezer/python` for `@lezer/python/dist/x`); `node:` built-ins keep the prefix off. */
  readonly packageName?: string;
  readonly builtin: boolean;
  /** Erased at build: `import type`, `export type`, or every named binding marked `type`. */
  readonly typeOnly: boolean;
  readonly line: number;
}

const BUILTINS = new Set(builtinModules);

/** False for a path that is missing, a folder, or runs through a file (`package.json/index.ts`). */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function resolveRelative(fromFile: string, specifier: string): string {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [`${base}.ts`, join(base, 'index.ts'), base];
  const found = candidates.find(isFile) ?? base;
  return relative(REPO_ROOT, found).split(sep).join('/');
}

function packageOf(specifier: string): string {
  const parts = specifier.replace(/^node:/, '').split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function describeImport(fromFile: string, specifier: string, typeOnly: boolean, line: number): Import {
  if (specifier.startsWith('.')) return { specifier, file: resolveRelative(fromFile, specifier), builtin: false, typeOnly, line };
  const packageName = packageOf(specifier);
  return { specifier, packageName, builtin: specifier.startsWith('node:') || BUILTINS.has(packageName), typeOnly, line };
}

function importIsTypeOnly(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import 'x'` runs x.
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function exportIsTypeOnly(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

const parsed = new Map<string, Import[]>();

/** Every module a TypeScript file imports (read once per run); with `source`, that text parsed as if it were the file. */
export function importsOf(fileName: string, source?: string): Import[] {
  if (source !== undefined) return parseImports(fileName, source);
  let found = parsed.get(fileName);
  if (found === undefined) parsed.set(fileName, (found = parseImports(fileName, readFileSync(fileName, 'utf8'))));
  return found;
}

function parseImports(fileName: string, source: string): Import[] {
  const tree = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Import[] = [];
  const add = (specifierNode: ts.Expression, typeOnly: boolean): void => {
    if (!ts.isStringLiteralLike(specifierNode)) return;
    const line = tree.getLineAndCharacterOfPosition(specifierNode.getStart(tree)).line + 1;
    found.push(describeImport(fileName, specifierNode.text, typeOnly, line));
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, importIsTypeOnly(node));
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node.moduleSpecifier, exportIsTypeOnly(node));
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression, node.isTypeOnly);
    else if (ts.isCallExpression(node) && node.arguments.length === 1) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isDynamicImport || isRequire) add(node.arguments[0]!, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
}

/** Every .ts file under a repository folder, as repository paths with `/` separators. */
export function sourceFiles(folder: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
    );
  return walk(join(REPO_ROOT, folder)).map((file) => relative(REPO_ROOT, file).split(sep).join('/'));
}
