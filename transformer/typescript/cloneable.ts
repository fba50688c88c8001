// The type-based check the TS front end gives the core (TS97005): can a captured value's static type reach a worker
// intact? A capture travels as a structured clone of its value, so a type fails when its values hold something the
// clone throws on (functions, symbols, promises, weak collections, iterators, streams) or when the copy would lack
// what the code can call (instances of classes with methods: captures, unlike results, do not get their class back).
// Only a type's own declared data is walked: the methods of built-ins (Array, Map, Date...) live on their prototypes
// and the clone rebuilds those objects natively.
import type ts from 'typescript';

/** Built-ins structured clone copies whole, with their class (lib's and @types/node's declarations only). */
const cloneableBuiltins = new Set([
  'Date', 'RegExp', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray',
  'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array',
  'BigInt64Array', 'BigUint64Array', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError',
  'URIError', 'AggregateError', 'String', 'Number', 'Boolean', 'BigInt', 'Blob', 'File',
]);

/** Built-ins the clone throws on (or cannot copy at all), with what to call them in the message. */
const uncloneableBuiltins = new Map<string, string>([
  ['Promise', 'a Promise'], ['PromiseLike', 'a Promise'], ['WeakMap', 'a WeakMap'], ['WeakSet', 'a WeakSet'],
  ['WeakRef', 'a WeakRef'], ['FinalizationRegistry', 'a FinalizationRegistry'], ['Function', 'a function'],
  ['CallableFunction', 'a function'], ['NewableFunction', 'a function'], ['Symbol', 'a symbol'],
  ['Generator', 'a generator'], ['AsyncGenerator', 'a generator'], ['Iterator', 'an iterator'],
  ['IterableIterator', 'an iterator'], ['AsyncIterator', 'an iterator'], ['AsyncIterableIterator', 'an iterator'],
  ['IteratorObject', 'an iterator'], ['AsyncIteratorObject', 'an iterator'], ['ArrayIterator', 'an iterator'],
  ['MapIterator', 'an iterator'], ['SetIterator', 'an iterator'], ['StringIterator', 'an iterator'],
  ['RegExpStringIterator', 'an iterator'], ['ReadableStream', 'a stream'], ['WritableStream', 'a stream'],
  ['TransformStream', 'a stream'], ['MessagePort', 'a MessagePort'],
  ['Collator', 'an Intl object'], ['DateTimeFormat', 'an Intl object'], ['NumberFormat', 'an Intl object'],
  ['PluralRules', 'an Intl object'], ['RelativeTimeFormat', 'an Intl object'], ['ListFormat', 'an Intl object'],
  ['Locale', 'an Intl object'], ['Segmenter', 'an Intl object'], ['DisplayNames', 'an Intl object'],
  ['Buffer', 'a Buffer'], ['URL', 'a URL'], ['URLSearchParams', 'a URLSearchParams'],
]);
const builtinNotes = new Map<string, string>([
  ['ReadableStream', ', which can be transferred but not cloned'], ['WritableStream', ', which can be transferred but not cloned'],
  ['TransformStream', ', which can be transferred but not cloned'], ['MessagePort', ', which can be transferred but not cloned'],
  ['Buffer', ", which a worker receives as a plain Uint8Array without Buffer's methods"],
  ['URL', ', which a worker receives as an empty object (capture its href)'],
  ['URLSearchParams', ', which a worker receives as an empty object (capture its toString())'],
]);

/** Past this depth a type is taken as cloneable (a generic that grows at each level, like `Deep<T> = { next: Deep<T[]> }`). */
const MAX_DEPTH = 24;

interface Walk {
  tsi: typeof ts;
  checker: ts.TypeChecker;
  /** TypeScript's lib files, and @types/node */
  isPlatformFile(sf: ts.SourceFile): boolean;
  isDefaultLib(sf: ts.SourceFile): boolean;
  /** types on the current path: a recursive type is checked once */
  active: Set<ts.Type>;
}

/** `palette[number]`, `shape.area`, `cache<value>`: where in the captured value the problem sits. */
function member(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function isPlatformSymbol(w: Walk, symbol: ts.Symbol | undefined): boolean {
  const decls = symbol?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => w.isPlatformFile(d.getSourceFile()));
}

/**
 * A class's method or accessor (wherever the class is declared: @types/node's global URL is an interface over a
 * class): it lives on the prototype, so a copy of an instance's data lacks it. Method signatures count in an
 * interface merged into a class; those of TypeScript's lib interfaces (a class extending Map) are natives' own.
 */
function isPrototypeMember(w: Walk, decl: ts.Declaration, ofClass: boolean): boolean {
  const t = w.tsi;
  if (t.isMethodDeclaration(decl) || t.isGetAccessorDeclaration(decl) || t.isSetAccessorDeclaration(decl)) return t.isClassLike(decl.parent);
  return ofClass && t.isMethodSignature(decl) && t.isInterfaceDeclaration(decl.parent) && !w.isDefaultLib(decl.getSourceFile());
}

function problemOf(w: Walk, type: ts.Type, path: string, depth: number): string | undefined {
  const { tsi, checker } = w;
  const F = tsi.TypeFlags;
  const text = () => checker.typeToString(type);
  if (type.flags & (F.Any | F.Unknown | F.Never | F.NonPrimitive)) return undefined;
  if (type.flags & (F.ESSymbol | F.UniqueESSymbol)) return `'${path}' is a symbol ('${text()}')`;
  if (type.flags & (F.StringLike | F.NumberLike | F.BigIntLike | F.BooleanLike | F.EnumLike | F.Void | F.Undefined | F.Null)) return undefined;
  if (depth > MAX_DEPTH || w.active.has(type)) return undefined;
  w.active.add(type);
  try {
    if (type.isUnion()) {
      for (const t of type.types) { const p = problemOf(w, t, path, depth); if (p) return p; }
      return undefined;
    }
    if (type.isIntersection()) {
      // `number & { __brand: ... }`: the value is the primitive, the object part exists in the types only.
      if (type.types.some((t) => t.flags & (F.StringLike | F.NumberLike | F.BigIntLike | F.BooleanLike | F.EnumLike))) return undefined;
      for (const t of type.types) { const p = problemOf(w, t, path, depth); if (p) return p; }
      return undefined;
    }
    if (type.flags & F.Index) return undefined; // `keyof T`: property names, strings in practice
    if (type.flags & F.Instantiable) {
      // A type parameter (or a type built from one) holds whatever its constraint allows; `K extends keyof T` keys.
      const declared = type.getSymbol()?.declarations?.find(tsi.isTypeParameterDeclaration)?.constraint;
      if (declared && tsi.isTypeOperatorNode(declared) && declared.operator === tsi.SyntaxKind.KeyOfKeyword) return undefined;
      const c = checker.getBaseConstraintOfType(type);
      return c && c !== type ? problemOf(w, c, path, depth + 1) : undefined;
    }
    if (!(type.flags & F.Object)) return undefined;
    return objectProblem(w, type as ts.ObjectType, path, depth);
  } finally {
    w.active.delete(type);
  }
}

function objectProblem(w: Walk, type: ts.ObjectType, path: string, depth: number): string | undefined {
  const { tsi, checker } = w;
  const text = () => checker.typeToString(type);
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return `'${path}' is a function ('${text()}')`;
  const args = () => checker.getTypeArguments(type as ts.TypeReference);
  if (checker.isTupleType(type)) {
    let i = 0;
    for (const t of args()) { const p = problemOf(w, t, `${path}[${i++}]`, depth + 1); if (p) return p; }
    return undefined;
  }
  if (checker.isArrayType(type)) return problemOf(w, args()[0]!, `${path}[number]`, depth + 1);

  const symbol = type.getSymbol();
  const name = symbol?.getName() ?? '';
  if (isPlatformSymbol(w, symbol) && !(type.objectFlags & (tsi.ObjectFlags.Mapped | tsi.ObjectFlags.Anonymous))) {
    if (name === 'Map' || name === 'ReadonlyMap') {
      const [k, v] = args();
      return (k && problemOf(w, k, `${path}<key>`, depth + 1)) || (v && problemOf(w, v, `${path}<value>`, depth + 1)) || undefined;
    }
    if (name === 'Set' || name === 'ReadonlySet') {
      const [e] = args();
      return e ? problemOf(w, e, `${path}<element>`, depth + 1) : undefined;
    }
    if (cloneableBuiltins.has(name)) return undefined;
    const what = uncloneableBuiltins.get(name);
    if (what) return `'${path}' is ${what} ('${text()}')${builtinNotes.get(name) ?? ''}`;
    // Other built-ins (ArrayLike, Iterable, Object...): only their data is walked, their methods are the prototype's.
  }

  const props = checker.getPropertiesOfType(type);
  const ofClass = !!symbol && !!(symbol.flags & tsi.SymbolFlags.Class);
  const methods = props.filter((p) => (p.declarations ?? []).some((d) => isPrototypeMember(w, d, ofClass)));
  if (methods.length > 0) {
    // symbol-keyed ones (`__@iterator@12`) last, as `[iterator]`; a long list is cut
    const names = methods.map((m) => m.getName()).map((n) => (n.startsWith('__@') ? `~[${n.slice(3).replace(/@\d+$/, '')}]` : n))
      .sort((a, b) => Number(a.startsWith('~')) - Number(b.startsWith('~'))).map((n) => n.replace(/^~/, ''));
    const list = names.length > 4 ? `${names.slice(0, 4).join(', ')}, ...` : names.join(', ');
    return `'${path}' is an instance of class '${name}', whose methods (${list}) a worker would not have: ` +
      'a capture arrives as a copy of its data without its class (only results get their class back); capture the data and rebuild the instance inside the function';
  }
  for (const prop of props) {
    // Structured clone copies own string-keyed data: symbol keys, #private fields and built-ins' members stay behind.
    const key = prop.getName();
    if (key.startsWith('__@') || key.startsWith('#') || isPlatformSymbol(w, prop)) continue;
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    const t = decl ? checker.getTypeOfSymbolAtLocation(prop, decl) : checker.getTypeOfSymbol(prop);
    const p = problemOf(w, t, member(path, key), depth + 1);
    if (p) return p;
  }
  for (const info of checker.getIndexInfosOfType(type)) {
    const p = problemOf(w, info.type, `${path}[${checker.typeToString(info.keyType)}]`, depth + 1);
    if (p) return p;
  }
  return undefined;
}

/**
 * Why values of `type` (the type of capture `name`) cannot reach a worker intact, naming the path to the offending
 * part (`'palette[number]' is a function (...)`); undefined when they can. `any` and `unknown` pass.
 */
export function uncloneableReason(tsi: typeof ts, program: ts.Program, type: ts.Type, name: string): string | undefined {
  const w: Walk = {
    tsi, checker: program.getTypeChecker(), active: new Set(), isDefaultLib: (sf) => program.isSourceFileDefaultLibrary(sf),
    isPlatformFile: (sf) => program.isSourceFileDefaultLibrary(sf) || /[\\/]node_modules[\\/]@types[\\/]node[\\/]/.test(sf.fileName),
  };
  return problemOf(w, type, name, 0);
}

/** The core passes its own node; find the program's node at the same place and check its type. */
export function checkCloneableIn(tsi: typeof ts, program: ts.Program, sf: ts.SourceFile) {
  const checker = program.getTypeChecker();
  return (node: unknown): string | undefined => {
    const n = node as { getStart(): number; end: number };
    const start = n.getStart();
    let found: ts.Identifier | undefined;
    const visit = (c: ts.Node) => {
      if (found || c.end < start || c.pos > start) return;
      if (tsi.isIdentifier(c) && c.getStart(sf) === start && c.end === n.end) { found = c; return; }
      tsi.forEachChild(c, visit);
    };
    visit(sf);
    if (!found) return undefined;
    return uncloneableReason(tsi, program, checker.getTypeAtLocation(found), found.text);
  };
}
