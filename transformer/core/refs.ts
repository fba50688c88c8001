// Which declaration an identifier refers to, and the references inside a subtree.
import ts from 'typescript';

export type FunctionLike = ts.FunctionLikeDeclaration;

export function isFunctionBoundary(node: ts.Node): node is FunctionLike {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)
    || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node)
    || ts.isSetAccessorDeclaration(node);
}

/** The function (or the file) whose body node runs in. Class field initialisers and static blocks count as their own. */
export function contextOf(node: ts.Node): ts.Node {
  let n = node.parent;
  while (n && !isFunctionBoundary(n) && !ts.isSourceFile(n) && !ts.isClassStaticBlockDeclaration(n) && !ts.isPropertyDeclaration(n)) n = n.parent;
  return n;
}

export function isAsyncContext(ctx: ts.Node): boolean {
  return isFunctionBoundary(ctx) && (ts.getModifiers(ctx as ts.FunctionDeclaration) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Identifier names that are not references (property names, declared names, labels...). */
export function isReferenceName(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessorDeclaration(p)
    || ts.isSetAccessorDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isEnumMember(p)
    || ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p)
    || ts.isClassDeclaration(p) || ts.isClassExpression(p) || ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p)
    || ts.isEnumDeclaration(p) || ts.isModuleDeclaration(p) || ts.isTypeParameterDeclaration(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && (p.name === id || p.propertyName === id)) return false;
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isImportEqualsDeclaration(p)) return false;
  if (ts.isExportSpecifier(p)) return p.propertyName ? p.propertyName === id : true;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if (ts.isJsxAttribute(p) || ts.isMetaProperty(p)) return false;
  return true;
}

export function isTypePosition(id: ts.Node): boolean {
  return ts.isPartOfTypeNode(id) || (ts.isExpressionWithTypeArguments(id.parent) && ts.isHeritageClause(id.parent.parent)
    && id.parent.parent.token === ts.SyntaxKind.ImplementsKeyword);
}

export class Resolver {
  constructor(readonly checker: ts.TypeChecker) {}

  symbolOf(id: ts.Identifier): ts.Symbol | undefined {
    if (ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id) {
      return this.checker.getShorthandAssignmentValueSymbol(id.parent);
    }
    return this.checker.getSymbolAtLocation(id);
  }

  declarationOf(id: ts.Identifier): ts.Declaration | undefined {
    const s = this.symbolOf(id);
    return s?.valueDeclaration ?? s?.declarations?.[0];
  }
}

/** Every identifier reference below node (skipping property names and declared names). */
export function forEachReference(node: ts.Node, cb: (id: ts.Identifier) => void, opts: { types?: boolean } = {}): void {
  const visit = (n: ts.Node) => {
    if (ts.isIdentifier(n)) {
      if (isReferenceName(n) && (opts.types || !isTypePosition(n))) cb(n);
      return;
    }
    if (!opts.types && ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n) && !ts.isTypeQueryNode(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
}

/** The statement directly inside the file that contains node. */
export function topStatementOf(node: ts.Node): ts.Statement | undefined {
  let n: ts.Node | undefined = node;
  while (n && n.parent && !ts.isSourceFile(n.parent)) n = n.parent;
  return n && n.parent && ts.isStatement(n) ? n : undefined;
}

/** Whether id is written: the target of =, a compound assignment, ++ or --, or a destructuring assignment. */
export function isWrite(id: ts.Identifier): boolean {
  let n: ts.Node = id;
  let p = n.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p))) { n = p; p = p.parent; }
  if (!p) return false;
  if (ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment
    && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p))
    && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  // [a, b] = ... and ({ a } = ...)
  if ((ts.isArrayLiteralExpression(p) || ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p) || ts.isSpreadElement(p))) {
    let q: ts.Node = p;
    while (q.parent && (ts.isArrayLiteralExpression(q.parent) || ts.isObjectLiteralExpression(q.parent) || ts.isPropertyAssignment(q.parent)
      || ts.isShorthandPropertyAssignment(q.parent) || ts.isSpreadElement(q.parent) || ts.isSpreadAssignment(q.parent))) q = q.parent;
    if (q.parent && ts.isBinaryExpression(q.parent) && q.parent.left === q && q.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return true;
    if (q.parent && (ts.isForOfStatement(q.parent) || ts.isForInStatement(q.parent)) && q.parent.initializer === q) return true;
  }
  if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.initializer === n) return true;
  return false;
}

/** Methods of the built-in collections that change the receiver (Array, Map, Set, WeakMap, WeakSet). */
const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'delete', 'clear', 'add']);

/**
 * How code changes the object an identifier holds without reassigning it: `'write'` for an assignment, `++`/`--` or
 * `delete` through it (`v.x = 1`, `v[k] += 2`, `v.a.b++`), the method name for a call to a collection method that
 * mutates (`v.push(x)`, `v.items.set(k, 1)`), else undefined.
 */
export function mutationThrough(id: ts.Identifier): string | undefined {
  let n: ts.Node = id;
  let depth = 0;
  for (let p = n.parent; p; p = n.parent) {
    if (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p)) { n = p; continue; }
    if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n) { n = p; depth++; continue; }
    break;
  }
  if (depth === 0) return undefined;
  const p = n.parent;
  if (ts.isDeleteExpression(p)) return 'write';
  if (ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment
    && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return 'write';
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p))
    && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return 'write';
  if (ts.isPropertyAccessExpression(n) && ts.isCallExpression(p) && p.expression === n && MUTATING_METHODS.has(n.name.text)) return n.name.text;
  return undefined;
}

export function isInside(node: ts.Node, container: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === container) return true;
  return false;
}
