// How a function reaches a worker: by module reference (what hoist/the compiler sets) or, for a self-contained
// function, by its source text. Free variables are found with a real parser (acorn) so that a function which
// could not run in a worker fails at the fork call, naming the variable, not as a ReferenceError in a worker.
import { parse } from 'acorn';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ForkError } from './errors.js';
import { META, metaOf, type ModuleRef } from './markers.js';

/** A function as data a worker can turn back into the function (loadFunction). */
export type FunctionRef = ModuleRef | SourceRef;
export interface SourceRef {
  source: string;   // an expression evaluating to the function (methods are wrapped in an object literal)
  name: string;
  method?: boolean; // source is `({ m() {...} })`: the function is the object's only property
}

const refs = new WeakMap<Function, FunctionRef | ForkError>();

// The globals a worker has: the ones this thread had when tsfork loaded, before the program's own code ran. A
// name the program puts on globalThis later exists only on this thread, and a worker would throw ReferenceError.
const workerGlobals = new Set<string>();
for (let o: object | null = globalThis; o; o = Object.getPrototypeOf(o)) for (const k of Object.getOwnPropertyNames(o)) workerGlobals.add(k);

/** The function's name as the user wrote it, for messages. */
export function describeFunction(fn: Function): string {
  return fn.name ? fn.name : '<anonymous function>';
}

/** How fn reaches a worker; throws ForkError when it cannot. Cached per function. */
export function toFunctionRef(fn: Function): FunctionRef {
  if (typeof fn !== 'function') throw new ForkError(`fork: expected a function, got ${fn === null ? 'null' : typeof fn}`);
  let ref = refs.get(fn);
  if (ref === undefined) {
    try {
      ref = computeRef(fn);
    } catch (e) {
      if (!(e instanceof ForkError)) throw e;
      ref = e;
    }
    refs.set(fn, ref);
  }
  if (ref instanceof ForkError) throw new ForkError(ref.message); // a fresh one: each call gets its own stack
  return ref;
}

// Source refs by name and source text: a fresh closure of the same function (one per loop iteration, say) is
// the same ref, found without parsing it again (acorn costs ~190 us). Bounded: the oldest half goes when full.
const bySource = new Map<string, FunctionRef | ForkError>();
const BY_SOURCE_MAX = 4096;

function computeRef(fn: Function): FunctionRef {
  const meta = metaOf(fn);
  const target = meta?.target ?? fn;
  const targetRef = meta?.ref ?? metaOf(target)?.ref;
  if (targetRef) return { module: targetRef.module, name: targetRef.name };
  const name = describeFunction(target);
  const text = Function.prototype.toString.call(target);
  const key = `${name}\u0000${text}`;
  let ref = bySource.get(key);
  if (ref === undefined) {
    try {
      ref = sourceRef(name, text);
    } catch (e) {
      if (!(e instanceof ForkError)) throw e;
      ref = e;
    }
    if (bySource.size >= BY_SOURCE_MAX) { let k = 0; for (const old of bySource.keys()) { if (k++ >= BY_SOURCE_MAX / 2) break; bySource.delete(old); } }
    bySource.set(key, ref);
  }
  if (ref instanceof ForkError) throw ref;
  return ref;
}

function sourceRef(name: string, text: string): FunctionRef {
  if (/\{\s*\[native code\]\s*\}$/.test(text)) {
    throw new ForkError(`fork(${name}): ${name} is a native or bound function; a worker cannot load it. Fork a plain function, or export it and hoist it (hoist(fn, import.meta.url, 'name')).`);
  }
  if (/^class\b/.test(text)) throw new ForkError(`fork(${name}): ${name} is a class; fork calls functions.`);
  let method = false;
  let program;
  try {
    program = parse(`(${text})`, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: false });
  } catch {
    try {
      program = parse(`({${text}})`, { ecmaVersion: 'latest', sourceType: 'script' });
      method = true;
    } catch (e) {
      throw new ForkError(`fork(${name}): cannot parse the source of ${name} (${(e as Error).message}); export it and hoist it instead.`);
    }
  }
  const offset = method ? 2 : 1;
  const free = freeVariables(program as unknown as Node);
  const unknown = free.filter((f) => f.name === 'this' || f.name === 'super' || !workerGlobals.has(f.name));
  if (unknown.length) {
    const first = unknown[0]!;
    const { line, column } = position(text, first.start - offset);
    const names = [...new Set(unknown.map((f) => f.name))];
    throw new ForkError(
      `fork(${name}): ${name} uses ${names.map((n) => `'${n}'`).join(', ')} from outside the function (first at line ${line}, column ${column} of ${name}); ` +
      `a worker cannot see ${names.length > 1 ? 'them' : 'it'}. Pass ${names.length > 1 ? 'them as arguments' : 'it as an argument'}, move ${names.length > 1 ? 'them' : 'it'} inside ${name}, ` +
      `or export ${name} and hoist it (the compiler does this).`);
  }
  return method ? { source: `({${text}})`, name, method } : { source: `(${text})`, name };
}

function position(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, index)).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

// ---- free-variable analysis over ESTree ----
interface Node { type: string; start: number; end: number; [key: string]: any }
interface Scope { names: Set<string>; parent: Scope | undefined; thisBound: boolean }
interface FreeUse { name: string; start: number }

const functionTypes = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

function freeVariables(program: Node): FreeUse[] {
  const free: FreeUse[] = [];
  const isDeclared = (scope: Scope | undefined, name: string): boolean => {
    for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
    return false;
  };
  const thisBound = (scope: Scope | undefined): boolean => {
    for (let s = scope; s; s = s.parent) if (s.thisBound) return true;
    return false;
  };
  const child = (parent: Scope | undefined, thisB = false): Scope => ({ names: new Set(), parent, thisBound: thisB });

  function bindingNames(pattern: Node | null, out: Set<string>): void {
    if (!pattern) return;
    switch (pattern.type) {
      case 'Identifier': out.add(pattern.name); break;
      case 'ObjectPattern': for (const p of pattern.properties) bindingNames(p.type === 'RestElement' ? p.argument : p.value, out); break;
      case 'ArrayPattern': for (const e of pattern.elements) bindingNames(e, out); break;
      case 'RestElement': bindingNames(pattern.argument, out); break;
      case 'AssignmentPattern': bindingNames(pattern.left, out); break;
    }
  }
  // var declarations anywhere in a function body (not in nested functions) belong to the function scope.
  function hoistVars(node: Node | null, out: Set<string>): void {
    if (!node || typeof node.type !== 'string') return;
    if (functionTypes.has(node.type) || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return;
    if (node.type === 'VariableDeclaration' && node.kind === 'var') for (const d of node.declarations) bindingNames(d.id, out);
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) for (const x of v) { if (x && typeof x.type === 'string') hoistVars(x, out); }
      else if (v && typeof v.type === 'string') hoistVars(v, out);
    }
  }
  function declareLexical(statements: Node[], scope: Scope): void {
    for (const s of statements) {
      if (s.type === 'VariableDeclaration' && s.kind !== 'var') for (const d of s.declarations) bindingNames(d.id, scope.names);
      else if ((s.type === 'ClassDeclaration' || s.type === 'FunctionDeclaration') && s.id) scope.names.add(s.id.name);
    }
  }
  // Patterns: defaults and computed keys are expressions; identifiers are bindings or (in assignments) references.
  function visitPattern(p: Node | null, scope: Scope, binding: boolean): void {
    if (!p) return;
    switch (p.type) {
      case 'Identifier': if (!binding) visit(p, scope); break;
      case 'ObjectPattern':
        for (const prop of p.properties) {
          if (prop.type === 'RestElement') visitPattern(prop.argument, scope, binding);
          else { if (prop.computed) visit(prop.key, scope); visitPattern(prop.value, scope, binding); }
        }
        break;
      case 'ArrayPattern': for (const e of p.elements) visitPattern(e, scope, binding); break;
      case 'RestElement': visitPattern(p.argument, scope, binding); break;
      case 'AssignmentPattern': visitPattern(p.left, scope, binding); visit(p.right, scope); break;
      default: visit(p, scope); // MemberExpression as an assignment target
    }
  }
  function visitFunction(fn: Node, scope: Scope): void {
    const arrow = fn.type === 'ArrowFunctionExpression';
    const inner = child(scope, !arrow);
    if (!arrow) inner.names.add('arguments');
    if (fn.type === 'FunctionExpression' && fn.id) inner.names.add(fn.id.name);
    for (const p of fn.params) bindingNames(p, inner.names);
    for (const p of fn.params) visitPattern(p, inner, true);
    if (fn.body.type === 'BlockStatement') {
      hoistVars(fn.body, inner.names);
      declareLexical(fn.body.body, inner);
      for (const s of fn.body.body) visit(s, inner);
    } else {
      visit(fn.body, inner);
    }
  }
  function visitClass(cls: Node, scope: Scope): void {
    const inner = child(scope);
    if (cls.id) inner.names.add(cls.id.name);
    if (cls.superClass) visit(cls.superClass, scope);
    const bodyScope = child(inner, true); // field initializers and static blocks see `this`
    for (const el of cls.body.body) {
      if (el.computed) visit(el.key, inner);
      if (el.type === 'StaticBlock') {
        const block = child(bodyScope);
        hoistVars(el, block.names);
        declareLexical(el.body, block);
        for (const s of el.body) visit(s, block);
      } else if (el.value) visit(el.value, bodyScope);
    }
  }
  function visit(node: Node | null, scope: Scope): void {
    if (!node || typeof node.type !== 'string') return;
    switch (node.type) {
      case 'Identifier':
        if (!isDeclared(scope, node.name)) free.push({ name: node.name, start: node.start });
        return;
      case 'ThisExpression':
        if (!thisBound(scope)) free.push({ name: 'this', start: node.start });
        return;
      case 'Super':
        if (!thisBound(scope)) free.push({ name: 'super', start: node.start });
        return;
      case 'FunctionDeclaration': case 'FunctionExpression': case 'ArrowFunctionExpression':
        visitFunction(node, scope); return;
      case 'ClassDeclaration': case 'ClassExpression':
        visitClass(node, scope); return;
      case 'VariableDeclaration':
        for (const d of node.declarations) { visitPattern(d.id, scope, true); visit(d.init, scope); }
        return;
      case 'AssignmentExpression':
        visitPattern(node.left, scope, false); visit(node.right, scope); return;
      case 'MemberExpression':
        visit(node.object, scope); if (node.computed) visit(node.property, scope); return;
      case 'Property':
        if (node.computed) visit(node.key, scope); visit(node.value, scope); return;
      case 'MethodDefinition': case 'PropertyDefinition':
        if (node.computed) visit(node.key, scope); visit(node.value, scope); return;
      case 'LabeledStatement': visit(node.body, scope); return;
      case 'BreakStatement': case 'ContinueStatement': case 'MetaProperty': return;
      case 'CatchClause': {
        const inner = child(scope);
        bindingNames(node.param, inner.names);
        visitPattern(node.param, inner, true);
        visit(node.body, inner);
        return;
      }
      case 'BlockStatement': case 'StaticBlock': {
        const inner = child(scope);
        declareLexical(node.body, inner);
        for (const s of node.body) visit(s, inner);
        return;
      }
      case 'SwitchStatement': {
        visit(node.discriminant, scope);
        const inner = child(scope);
        for (const c of node.cases) declareLexical(c.consequent, inner);
        for (const c of node.cases) { visit(c.test, inner); for (const s of c.consequent) visit(s, inner); }
        return;
      }
      case 'ForStatement': case 'ForInStatement': case 'ForOfStatement': {
        const inner = child(scope);
        const head = node.type === 'ForStatement' ? node.init : node.left;
        if (head?.type === 'VariableDeclaration' && head.kind !== 'var') for (const d of head.declarations) bindingNames(d.id, inner.names);
        if (node.type === 'ForStatement') { visit(node.init, inner); visit(node.test, inner); visit(node.update, inner); }
        else { if (head?.type === 'VariableDeclaration') visit(head, inner); else visitPattern(head, inner, false); visit(node.right, inner); }
        visit(node.body, inner);
        return;
      }
    }
    for (const key of Object.keys(node)) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const v = node[key];
      if (Array.isArray(v)) for (const x of v) { if (x && typeof x.type === 'string') visit(x, scope); }
      else if (v && typeof v.type === 'string') visit(v, scope);
    }
  }
  visit(program, child(undefined));
  return free;
}

// ---- worker side ----
const loaded = new Map<string, Function>();
const require = createRequire(import.meta.url);

function keyOf(ref: FunctionRef): string {
  return 'module' in ref ? `m\u0000${ref.module}\u0000${ref.name}` : `s\u0000${ref.source}`;
}

/** Module exports of a ref's module, if it is loaded already (for error classes). */
export function loadedModule(ref: ModuleRef): Record<string, unknown> | undefined {
  try { return require(fileURLToPath(ref.module)) as Record<string, unknown>; } catch { return undefined; }
}

/**
 * The function a ref stands for, loaded synchronously (require(esm) works on Node >= 20.19, so a thread blocked
 * in a join can still load it). Throws when it cannot be loaded synchronously or is not a function.
 */
export function loadFunction(ref: FunctionRef): Function {
  const key = keyOf(ref);
  let fn = loaded.get(key);
  if (fn) return fn;
  if ('module' in ref) {
    const mod = require(fileURLToPath(ref.module)) as Record<string, unknown>;
    fn = unwrap(mod[ref.name], ref);
  } else {
    // Indirect eval: global scope only, strict like the module the function came from.
    const value = (0, eval)(`"use strict";${ref.source}`) as unknown;
    fn = ref.method ? methodOf(value as object) : (value as Function);
    if (typeof fn !== 'function') throw new ForkError(`worker: the source of ${ref.name} did not evaluate to a function`);
  }
  loaded.set(key, fn);
  return fn;
}

/** Like loadFunction, but may use import() (for modules require() cannot load, e.g. with top-level await). */
export async function loadFunctionAsync(ref: FunctionRef): Promise<Function> {
  try {
    return loadFunction(ref);
  } catch (e) {
    if (!('module' in ref)) throw e;
    const mod = (await import(ref.module)) as Record<string, unknown>;
    const fn = unwrap(mod[ref.name], ref);
    loaded.set(keyOf(ref), fn);
    return fn;
  }
}

function unwrap(value: unknown, ref: ModuleRef): Function {
  if (typeof value !== 'function') {
    throw new ForkError(`worker: export '${ref.name}' of ${ref.module} is ${value === undefined ? 'missing' : `not a function (${typeof value})`}`);
  }
  // An exported fork wrapper: the worker runs the wrapped function, never a fork of a fork.
  return (value as { [META]?: { target?: Function } })[META]?.target ?? value;
}

function methodOf(obj: object): Function {
  const key = Reflect.ownKeys(obj)[0]!;
  const d = Object.getOwnPropertyDescriptor(obj, key)!;
  return (d.value ?? d.get) as Function;
}
