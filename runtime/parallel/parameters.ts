// How many parameters a function declares, read from its source, so extras (named parameters)
// land in the right argument. Unknown (rest parameter, native or unparsable) is reported, never guessed.
import { parseExpressionAt } from 'acorn';

export type DeclaredParameters = { count: number } | { unknown: string };

const cache = new WeakMap<Function, DeclaredParameters>();

function parse(source: string): any {
  try {
    return parseExpressionAt(`(${source})`, 0, { ecmaVersion: 'latest' });
  } catch {
    // method shorthand: `name(a, b) { ... }`, `async name() {}`, `*gen() {}`
    const obj: any = parseExpressionAt(`({${source}})`, 0, { ecmaVersion: 'latest' });
    return obj.properties[0].value;
  }
}

export function declaredParameters(fn: Function): DeclaredParameters {
  let found = cache.get(fn);
  if (found) return found;
  try {
    const node = parse(Function.prototype.toString.call(fn));
    if (node.type !== 'FunctionExpression' && node.type !== 'ArrowFunctionExpression') {
      found = { unknown: 'is not a plain function' };
    } else if (node.params.some((p: any) => p.type === 'RestElement')) {
      found = { unknown: 'has a rest parameter' };
    } else {
      found = { count: node.params.length };
    }
  } catch {
    found = { unknown: 'has no readable source (native or bound function)' };
  }
  cache.set(fn, found);
  return found;
}
