// Whether a loop may keep its forks in flight until it ends: only when nothing else in it has an effect the
// sequential program would not have shown had a call failed (README "Join rules"). Output, calls of other
// functions and writes to variables declared outside the loop happen at once in later iterations, so a loop
// with any of them joins each call where it is instead. Pushes and stores into arrays the loop only fills are
// fine: the log rolls them back.
import ts from 'typescript';
import { isFunctionBoundary, isInside } from '../refs.js';

/** Global functions (and namespaces' functions) that only compute a value. */
const PURE_GLOBALS = new Set(['Number', 'String', 'Boolean', 'BigInt', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'Symbol']);
const PURE_NAMESPACES = new Set(['Math', 'JSON', 'Number', 'String', 'Object', 'Array']);
const PURE_NAMESPACE_EXCEPT = new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf', 'from', 'freeze', 'seal', 'preventExtensions']);
/** Built-in constructors whose instances are fresh values (an error to throw, a map to fill). */
const PURE_CONSTRUCTORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError',
  'AggregateError', 'Map', 'Set', 'Array', 'Object', 'Date', 'RegExp', 'Float64Array', 'Float32Array', 'Int32Array', 'Uint8Array']);
/** Methods of strings, numbers and arrays that read their receiver and return a new value (no callback). */
const READING_METHODS = new Set(['toUpperCase', 'toLowerCase', 'trim', 'trimStart', 'trimEnd', 'slice', 'substring', 'charAt',
  'charCodeAt', 'codePointAt', 'indexOf', 'lastIndexOf', 'includes', 'startsWith', 'endsWith', 'padStart', 'padEnd', 'split',
  'concat', 'join', 'at', 'toFixed', 'toPrecision', 'toString', 'repeat', 'localeCompare', 'normalize']);

export interface EffectContext {
  sf: ts.SourceFile;
  forked: Set<ts.CallExpression>;
  symbolOf: (id: ts.Identifier) => ts.Symbol | undefined;
  /** `xs.push(v);` / `xs[k] = v;` into an array this loop only fills (logged, so undone on a failure) */
  loggable: (array: ts.Identifier, loop: ts.IterationStatement) => boolean;
}

/** The first thing in the loop with an effect the log cannot undo, or undefined when there is none. */
export function unloggedEffect(loop: ts.IterationStatement, c: EffectContext): ts.Node | undefined {
  const global = (id: ts.Identifier) => {
    const decl = c.symbolOf(id)?.valueDeclaration;
    return !decl || decl.getSourceFile() !== c.sf;
  };
  const local = (id: ts.Identifier) => {
    const decl = c.symbolOf(id)?.valueDeclaration;
    return !!decl && isInside(decl, loop);
  };
  const pureCall = (call: ts.CallExpression) => {
    const e = call.expression;
    if (ts.isIdentifier(e)) return PURE_GLOBALS.has(e.text) && global(e);
    if (!ts.isPropertyAccessExpression(e)) return false;
    if (ts.isIdentifier(e.expression) && PURE_NAMESPACES.has(e.expression.text) && global(e.expression)) {
      return !PURE_NAMESPACE_EXCEPT.has(e.name.text);
    }
    if (e.name.text === 'push' && ts.isIdentifier(e.expression) && ts.isExpressionStatement(call.parent) && call.arguments.length === 1) {
      return c.loggable(e.expression, loop);
    }
    return READING_METHODS.has(e.name.text) && e.expression.kind !== ts.SyntaxKind.ThisKeyword
      && !call.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
  };
  const writable = (target: ts.Expression, assign: ts.Node): boolean => {
    while (ts.isParenthesizedExpression(target) || ts.isNonNullExpression(target)) target = target.expression;
    if (ts.isIdentifier(target)) return local(target);
    if (ts.isElementAccessExpression(target) && ts.isIdentifier(target.expression) && ts.isBinaryExpression(assign)
      && assign.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isExpressionStatement(assign.parent)) {
      return local(target.expression) || c.loggable(target.expression, loop);
    }
    if ((ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target))) {
      let base: ts.Expression = target;
      while (ts.isElementAccessExpression(base) || ts.isPropertyAccessExpression(base)) base = base.expression;
      return ts.isIdentifier(base) && local(base);
    }
    return false;
  };
  let found: ts.Node | undefined;
  const visit = (n: ts.Node) => {
    if (found || (n !== loop && isFunctionBoundary(n))) return;
    if (ts.isCallExpression(n) && !c.forked.has(n) && !pureCall(n)) { found = n; return; }
    if (ts.isNewExpression(n) && !(ts.isIdentifier(n.expression) && PURE_CONSTRUCTORS.has(n.expression.text) && global(n.expression))) { found = n; return; }
    if (ts.isTaggedTemplateExpression(n) || ts.isDeleteExpression(n)) { found = n; return; }
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment
      && !writable(n.left, n)) { found = n; return; }
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n))
      && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && !writable(n.operand, n)) { found = n; return; }
    ts.forEachChild(n, visit);
  };
  visit(loop);
  return found;
}
