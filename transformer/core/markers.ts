// Finding marked functions: JSDoc tags read from leading comments (TypeScript 5.3+ does not parse JSDoc in .ts
// files by default, so ts.getJSDocTags would be empty) and @cpuBoundFork/@ioBoundFork decorators on static methods.
import ts from 'typescript';
import { closestMarker } from './marker-names.js';
import type { MarkerKind } from './types.js';

export function isForking(kind: MarkerKind): boolean {
  return kind === 'cpuBoundFork' || kind === 'ioBoundFork';
}

/** The pool a marker selects, as hoist() takes it. */
export function poolOf(kind: MarkerKind): 'cpu' | 'io' | 'unsafe' {
  return kind === 'unsafe' ? 'unsafe' : kind.startsWith('io') ? 'io' : 'cpu';
}

export type FunctionNode = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;

export interface MarkerSite {
  kind: MarkerKind;
  name: string;
  nameNode: ts.Identifier;
  fn: FunctionNode;
  /** the statement that declares it: a function declaration, a variable statement, or the class */
  statement: ts.Statement;
  topLevel: boolean;
  exported: boolean;
  isDefault: boolean;
  /** set for a decorated static method */
  method?: { className: string; decorator: ts.Decorator; cls: ts.ClassDeclaration };
  async: boolean;
  generator: boolean;
  params: number;
}

export interface MarkerProblem {
  node: ts.Node;
  tag: string;
  what?: string;
  /** a tag that looks like a marker but marks nothing (reported at the tag itself) */
  slip?: TagSlip;
}

/**
 * How a comment near a function misses being a marker: `case` (`@cpuboundfork` in JSDoc), `near` (a small edit
 * away from a marker name: `@cpuBoundFrok`), `comment` (a marker name in a `//` or `/* *\/` comment, which tsfork
 * does not read). `start`/`length` cover `@tag` in the file.
 */
export interface TagSlip { how: 'case' | 'near' | 'comment'; tag: string; close: MarkerKind; start: number; length: number; comment?: '//' | '/*' }

/** Marker tags in the comments just before node: JSDoc markers, and the tags that look like markers but are not. */
export function markerTagsOf(node: ts.Node, text: string): { known: MarkerKind[]; slips: TagSlip[] } {
  const known: MarkerKind[] = [];
  const slips: TagSlip[] = [];
  for (const range of ts.getLeadingCommentRanges(text, node.pos) ?? []) {
    const comment = text.slice(range.pos, range.end);
    const jsdoc = comment.startsWith('/**') && comment !== '/**/';
    const opener = jsdoc ? 3 : 2;
    // A tag starts the comment's text, a line, or follows a space or `*` (not `/@x` in a URL, nor `a@x`).
    for (const m of comment.slice(opener).matchAll(/(?:^|[\s*])@([A-Za-z_$][\w$]*)/g)) {
      const tag = m[1]!;
      const close = closestMarker(tag);
      if (!close) continue;
      const start = range.pos + opener + m.index + m[0].length - tag.length - 1;
      const at = { tag, close: close.kind, start, length: tag.length + 1 };
      if (!jsdoc) slips.push({ how: 'comment', comment: comment.startsWith('//') ? '//' : '/*', ...at });
      else if (close.how === 'exact') known.push(close.kind);
      else slips.push({ how: close.how, ...at });
    }
  }
  return { known, slips };
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function paramCount(fn: ts.SignatureDeclarationBase): number {
  return fn.parameters.filter((p) => !p.dotDotDotToken && !(ts.isIdentifier(p.name) && p.name.text === 'this')).length;
}

function site(kind: MarkerKind, nameNode: ts.Identifier, fn: FunctionNode, statement: ts.Statement,
  extra?: Partial<MarkerSite>): MarkerSite {
  return {
    kind, name: nameNode.text, nameNode, fn, statement,
    topLevel: ts.isSourceFile(statement.parent),
    exported: hasModifier(statement, ts.SyntaxKind.ExportKeyword),
    isDefault: hasModifier(statement, ts.SyntaxKind.DefaultKeyword),
    async: hasModifier(fn, ts.SyntaxKind.AsyncKeyword),
    generator: !!(fn as ts.FunctionDeclaration).asteriskToken,
    params: paramCount(fn),
    ...extra,
  };
}

function describe(node: ts.Node): string {
  if (ts.isVariableStatement(node)) {
    const d = node.declarationList.declarations[0];
    if (d && !(node.declarationList.flags & ts.NodeFlags.Const)) return 'a let/var declaration (use const)';
    if (d && ts.isIdentifier(d.name)) return `'${d.name.text}', which is not bound to an arrow function or function expression`;
    return 'a destructuring declaration';
  }
  if (ts.isPropertyAssignment(node) || (ts.isMethodDeclaration(node) && ts.isObjectLiteralExpression(node.parent))) {
    return 'an object property (mark a module-level function and refer to it from the object)';
  }
  if (ts.isMethodDeclaration(node)) return hasModifier(node, ts.SyntaxKind.StaticKeyword)
    ? 'a static method in a JSDoc comment (use the decorator form: @cpuBoundFork static name() {})'
    : 'an instance method (its `this` cannot travel to a worker)';
  if (ts.isClassDeclaration(node)) return 'a class';
  return `a ${ts.SyntaxKind[node.kind].replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
}

const decoratorKinds: readonly string[] = ['cpuBoundFork', 'ioBoundFork'];

/** Every marked function of the file, and every marker that sits where it cannot apply. */
export function findMarkers(sf: ts.SourceFile): { sites: MarkerSite[]; problems: MarkerProblem[] } {
  const sites: MarkerSite[] = [];
  const problems: MarkerProblem[] = [];
  const text = sf.text;

  const visitMarked = (node: ts.Node) => {
    const { known, slips } = markerTagsOf(node, text);
    for (const slip of slips) problems.push({ node, tag: slip.tag, slip });
    const kind = known[0];
    if (kind === undefined) return;
    if (ts.isFunctionDeclaration(node) && node.name && node.body) {
      sites.push(site(kind, node.name, node, node));
      return;
    }
    if (ts.isVariableStatement(node) && node.declarationList.flags & ts.NodeFlags.Const
      && node.declarationList.declarations.length === 1) {
      const d = node.declarationList.declarations[0]!;
      let init = d.initializer;
      while (init && (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
      if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
        sites.push(site(kind, d.name, init, node));
        return;
      }
    }
    problems.push({ node, tag: kind, what: describe(node) });
  };

  const visit = (node: ts.Node) => {
    if (ts.isStatement(node) || ts.isClassElement(node) || ts.isPropertyAssignment(node)) visitMarked(node);
    if (ts.isClassDeclaration(node) && node.name) {
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member) || !ts.canHaveDecorators(member)) continue;
        for (const dec of ts.getDecorators(member) ?? []) {
          if (!ts.isIdentifier(dec.expression) || !decoratorKinds.includes(dec.expression.text)) continue;
          if (!hasModifier(member, ts.SyntaxKind.StaticKeyword) || !ts.isIdentifier(member.name) || !member.body) {
            problems.push({ node: dec, tag: dec.expression.text, what: describe(member) });
            continue;
          }
          sites.push(site(dec.expression.text as MarkerKind, member.name, member, node, {
            name: `${node.name.text}.${member.name.text}`,
            method: { className: node.name.text, decorator: dec, cls: node },
          }));
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sf, visit);
  return { sites, problems };
}

/** Local name -> exported names, from `export { a, b as c }` without a module specifier. */
export function exportAliases(sf: ts.SourceFile): Map<string, { exported: string; specifier: ts.ExportSpecifier }[]> {
  const out = new Map<string, { exported: string; specifier: ts.ExportSpecifier }[]>();
  for (const st of sf.statements) {
    if (!ts.isExportDeclaration(st) || st.moduleSpecifier || st.isTypeOnly || !st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
    for (const spec of st.exportClause.elements) {
      if (spec.isTypeOnly) continue;
      const local = (spec.propertyName ?? spec.name).text;
      const list = out.get(local) ?? [];
      list.push({ exported: spec.name.text, specifier: spec });
      out.set(local, list);
    }
  }
  return out;
}
