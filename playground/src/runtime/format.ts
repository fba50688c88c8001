// console.log's formatting, close enough to Node's util.inspect for program output to read the same.
function inspect(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case 'string': return depth === 0 ? value : `'${value}'`;
    case 'bigint': return `${value}n`;
    case 'function': return `[Function: ${value.name || '(anonymous)'}]`;
    case 'symbol': return value.toString();
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'undefined': case 'boolean': return String(value);
  }
  if (value === null) return 'null';
  const object = value as object;
  if (seen.has(object)) return '[Circular]';
  if (object instanceof Error) return object.stack && depth === 0 ? object.stack : `${object.name}: ${object.message}`;
  if (object instanceof Date) return object.toISOString();
  if (object instanceof RegExp) return String(object);
  if (depth > 3) return Array.isArray(object) ? '[Array]' : '[Object]';
  seen.add(object);
  try {
    const inner = (item: unknown) => inspect(item, depth + 1, seen);
    if (Array.isArray(object)) return object.length === 0 ? '[]' : `[ ${object.map(inner).join(', ')} ]`;
    if (object instanceof Map) return `Map(${object.size}) {${[...object].map(([k, v]) => ` ${inner(k)} => ${inner(v)}`).join(',')} }`;
    if (object instanceof Set) return `Set(${object.size}) {${[...object].map((v) => ` ${inner(v)}`).join(',')} }`;
    if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
      const items = Array.from(object as unknown as ArrayLike<unknown>).slice(0, 20).map(inner);
      const more = (object as unknown as ArrayLike<unknown>).length > 20 ? ', ...' : '';
      return `${object.constructor.name}(${(object as unknown as ArrayLike<unknown>).length}) [ ${items.join(', ')}${more} ]`;
    }
    const entries = Object.entries(object).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${inner(v)}`);
    const name = object.constructor && object.constructor !== Object ? `${object.constructor.name} ` : '';
    return entries.length === 0 ? `${name}{}` : `${name}{ ${entries.join(', ')} }`;
  } finally {
    seen.delete(object);
  }
}

export function formatArgs(args: unknown[]): string {
  if (typeof args[0] === 'string' && /%[sdifoOj%]/.test(args[0])) {
    let rest = args.slice(1);
    const head = args[0].replace(/%([sdifoOj%])/g, (match, spec: string) => {
      if (spec === '%') return '%';
      if (rest.length === 0) return match;
      const [next, ...others] = rest;
      rest = others;
      if (spec === 'd' || spec === 'i') return String(spec === 'i' ? Math.trunc(Number(next)) : Number(next));
      if (spec === 'f') return String(Number(next));
      return spec === 's' && typeof next === 'string' ? next : inspect(next, 1, new Set());
    });
    return [head, ...rest.map((item) => inspect(item, 0, new Set()))].join(' ');
  }
  return args.map((item) => inspect(item, 0, new Set())).join(' ');
}
