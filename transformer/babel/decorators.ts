// tsfork's own decorators under Babel without a decorators plugin. The plugin turns on the parser's decorator
// syntax, and once the core has done its rewrite (it reads the decorators as markers, as from tsc) it lowers
// `@cpuBoundFork static f() {}` to what a standard decorator does there: a static block, first in the class body
// (method decorators apply before any static initializer runs), that replaces the method with its fork wrapper.
// Any other decorator still needs the user's decorators plugin, and says so.
import { DiagnosticCode, messages, type Diagnostic } from '../core/index.js';

const own = new Set(['cpuBoundFork', 'ioBoundFork']);
/** Babel plugins that handle decorators themselves: with one of them, this file does nothing. */
const decoratorPlugins = new Set(['proposal-decorators', 'syntax-decorators']);

interface Node { type: string; start?: number | null; end?: number | null; loc?: { start: { line: number; column: number } } | null; [k: string]: any }
interface NodePath { node: Node; parentPath: NodePath | null }
/** The few @babel/types builders used here. */
export interface BabelTypes {
  cloneNode<T>(n: T): T;
  memberExpression(o: Node, p: Node, computed?: boolean): Node;
  thisExpression(): Node;
  callExpression(c: Node, args: Node[]): Node;
  objectExpression(props: Node[]): Node;
  objectProperty(k: Node, v: Node): Node;
  identifier(n: string): Node;
  stringLiteral(s: string): Node;
  booleanLiteral(b: boolean): Node;
  expressionStatement(e: Node): Node;
  assignmentExpression(op: string, l: Node, r: Node): Node;
  staticBlock(body: Node[]): Node;
}
export interface Traversable { traverse(visitor: Record<string, (path: NodePath) => void>): void }

export function handlesDecorators(plugins: { key: string }[] | undefined): boolean {
  return (plugins ?? []).some((p) => decoratorPlugins.has(p.key));
}

/** manipulateOptions: parse decorators unless a decorators plugin (or the user's parserOpts) already does. */
export function enableDecoratorSyntax(opts: { plugins?: { key: string }[] }, parserOpts: { plugins: unknown[] }): void {
  const has = (name: string) => parserOpts.plugins.some((p) => (Array.isArray(p) ? p[0] : p) === name);
  if (handlesDecorators(opts.plugins) || has('decorators') || has('decorators-legacy')) return;
  parserOpts.plugins.push('decorators');
}

function isOwn(d: Node): boolean {
  return d.expression?.type === 'Identifier' && own.has(d.expression.name);
}

/** Where one of tsfork's decorators sits when not on a static method with a plain name (the core's words). */
function misplaced(member: Node | undefined): string | undefined {
  if (!member || member.type !== 'ClassMethod') {
    if (member?.type === 'ClassDeclaration' || member?.type === 'ClassExpression') return 'a class';
    return member?.type === 'ClassPrivateMethod' ? 'a private method' : 'a class field or accessor';
  }
  if (member.kind !== 'method') return 'an accessor';
  if (!member.static) return 'an instance method (its `this` cannot travel to a worker)';
  if (member.computed) return 'a static method with a computed name';
  return undefined;
}

/**
 * On the file as written, before the rewrite replaces it: a decorator this plugin cannot lower is an error naming
 * it and where it is; so is a misplaced tsfork decorator the core does not see (in a class expression: the core
 * reports those of class declarations before this runs).
 */
export function checkDecorators(program: Traversable, code: string, fileName: string,
  fail: (node: Node, message: string) => never, failDiagnostic: (d: Diagnostic) => never): void {
  program.traverse({
    Decorator(path) {
      const d = path.node;
      const line = d.loc?.start.line ?? 0;
      const column = (d.loc?.start.column ?? 0) + 1;
      if (!isOwn(d)) {
        const text = code.slice(d.start ?? 0, d.end ?? 0).replace(/\s+/g, ' ');
        const name = text.length > 40 ? `${text.slice(0, 40)}...` : text;
        fail(d, `${fileName}:${line}:${column}: decorator ${name} needs @babel/plugin-proposal-decorators: add `
          + '["@babel/plugin-proposal-decorators", { "version": "2023-11" }] to your Babel plugins. tsfork/babel rewrites '
          + 'only its own @cpuBoundFork and @ioBoundFork itself.');
      }
      const what = misplaced(path.parentPath?.node);
      if (what) {
        failDiagnostic({
          severity: 'error', code: DiagnosticCode.MarkerPlacement, message: messages.markerPlacement(d.expression.name, what),
          start: d.start ?? 0, length: (d.end ?? 0) - (d.start ?? 0), line, column,
        });
      }
    },
  });
}

/** On the rewritten program: each tsfork decorator of a static method becomes the call it stands for. */
export function lowerDecorators(program: Traversable, t: BabelTypes): void {
  const inserted = new WeakMap<Node, number>(); // blocks so far per class body: they keep the methods' order
  program.traverse({
    ClassMethod(path) {
      const m = path.node;
      const decorators: Node[] = (m.decorators ?? []).filter(isOwn);
      if (decorators.length === 0) return;
      const key = m.key as Node;
      const name = key.type === 'Identifier' ? key.name : String(key.value);
      const method = () => t.memberExpression(t.thisExpression(), t.cloneNode(key), key.type !== 'Identifier');
      // The standard decorator's context, as far as tsfork's decorators read it.
      const context = () => t.objectExpression([
        t.objectProperty(t.identifier('kind'), t.stringLiteral('method')),
        t.objectProperty(t.identifier('name'), t.stringLiteral(name)),
        t.objectProperty(t.identifier('static'), t.booleanLiteral(true)),
        t.objectProperty(t.identifier('private'), t.booleanLiteral(false)),
      ]);
      let value = method();
      for (const d of [...decorators].reverse()) value = t.callExpression(t.cloneNode(d.expression), [value, context()]); // innermost first
      const statement = t.expressionStatement(t.assignmentExpression('=', method(), value));
      statement.loc = decorators[0]!.loc; // maps to the decorator's line
      m.decorators = null;
      const body = path.parentPath!.node;
      const n = inserted.get(body) ?? 0;
      body.body.splice(n, 0, t.staticBlock([statement]));
      inserted.set(body, n + 1);
    },
  });
}
