// The fuzzer's program generator: a grammar of statement and expression templates, composed at random from a seed.
// Programs are sequential TypeScript with marked functions; they must mean the same built with or without the
// transform. So a call that may throw is only placed where the documented semantics join it before any other
// effect (inside the one statement that prints it, or in a loop that only fills arrays); safe calls go anywhere.

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]!; }
}

/** A statement: text lines and nested blocks (printed indented). The shrinker deletes whole statements. */
export interface Stmt { parts: (string | Stmt[])[]; /** true: the shrinker never deletes it (helpers every program needs) */ fixed?: boolean }
export interface Program { seed: number; files: Record<string, Stmt[]> }

const line = (text: string, fixed = false): Stmt => ({ parts: [text], fixed });
const block = (head: string, body: Stmt[], tail = '}'): Stmt => ({ parts: [head, body, tail] });

export function printBlock(stmts: Stmt[], indent = ''): string {
  let out = '';
  for (const s of stmts) {
    for (const p of s.parts) out += typeof p === 'string' ? `${indent}${p}\n` : printBlock(p, indent + '  ');
  }
  return out;
}

export function printProgram(p: Program): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, stmts] of Object.entries(p.files)) files[name] = printBlock(stmts);
  return files;
}

interface MarkedFn {
  name: string;
  arity: 1 | 2;
  /** throws when its first argument % m === r */
  fails?: { m: number; r: number };
  kind: 'cpu' | 'io' | 'static';
}

interface Ctx {
  loopVars: string[];
  inLoop: boolean;
  labels: string[];
  inSwitch: boolean;
  /** a catch sees failures here; risky calls may appear (in their atomic forms) */
  inTry: boolean;
  /** inside a loop that may defer a risky call: no effect but filling its arrays */
  pure: boolean;
  async: boolean;
  nums: string[];
  arrays: string[];
  depth: number;
}

const MAX_DEPTH = 3;

class Generator {
  private n = 0;
  private readonly fns: MarkedFn[] = [];
  private readonly main: Stmt[] = [];
  private readonly lib: Stmt[] = [];
  private readonly helpers: Stmt[] = [];
  private errorHome: 'main' | 'lib';
  private usesLib = false;
  private usesDecorator = false;
  private budget: number;

  constructor(private readonly rnd: Rng) {
    this.errorHome = rnd.chance(0.3) ? 'lib' : 'main';
    this.budget = rnd.int(14, 30);
  }

  private fresh(prefix: string): string { return `${prefix}${this.n++}`; }

  private errorClass(): Stmt[] {
    return [
      line('class FuzzError extends Error {'),
      line('  constructor(message: string, readonly code: number) {'),
      line('    super(message);'),
      line("    this.name = 'FuzzError';"),
      line('  }'),
      line('}'),
    ].map((s) => ({ ...s, fixed: true }));
  }

  private spin(): Stmt[] {
    return [
      line('function spin(seed: number, rounds: number): number {', true),
      line('  let h = seed | 0;', true),
      line('  for (let i = 0; i < rounds * 40; i++) h = (Math.imul(h, 31) + i) | 0;', true),
      line('  return (h >>> 0) % 1000;', true),
      line('}', true),
    ];
  }

  private failLine(f: MarkedFn, inLib: boolean): string | undefined {
    if (!f.fails) return undefined;
    const cls = inLib && this.errorHome === 'main' ? 'RangeError' : this.rnd.pick(['FuzzError', 'FuzzError', 'RangeError']);
    const ctor = cls === 'FuzzError' ? `new FuzzError('${f.name} failed on ' + x, x)` : `new RangeError('${f.name} out of range: ' + x)`;
    return `  if (x % ${f.fails.m} === ${f.fails.r}) throw ${ctor};`;
  }

  /** A top-level marked function, in one of the forms the markers accept. */
  private markedFn(inLib: boolean): void {
    const kind: MarkedFn['kind'] = this.rnd.chance(0.15) ? 'io' : 'cpu';
    const f: MarkedFn = {
      name: this.fresh(inLib ? 'lw' : kind === 'io' ? 'io' : 'w'),
      arity: this.rnd.chance(0.3) ? 2 : 1,
      fails: this.rnd.chance(0.45) ? { m: this.rnd.int(4, 9), r: 0 } : undefined,
      kind,
    };
    if (f.fails) f.fails.r = this.rnd.int(0, f.fails.m - 1);
    const params = f.arity === 2 ? 'x: number, y: number' : 'x: number';
    const mix = f.arity === 2 ? `x * ${this.rnd.int(3, 17)} + y` : `x * ${this.rnd.int(3, 17)} + ${this.rnd.int(0, 9)}`;
    const rounds = this.rnd.int(60, 400);
    const fail = this.failLine(f, inLib);
    const exp = inLib ? 'export ' : '';
    const out = inLib ? this.lib : this.main;
    const body: string[] = [];
    if (fail) body.push(fail);
    if (kind === 'io') {
      body.push(`  await new Promise<void>((resolve) => setTimeout(resolve, ${this.rnd.int(1, 4)}));`);
      body.push(`  return spin(${mix}, ${rounds});`);
      out.push({ parts: ['/** @ioBoundFork */', `${exp}async function ${f.name}(${params}): Promise<number> {`, ...body, '}'] });
    } else {
      body.push(`  return spin(${mix}, ${rounds});`);
      const form = this.rnd.int(0, 2);
      if (form === 0 || fail) {
        out.push({ parts: ['/** @cpuBoundFork */', `${exp}function ${f.name}(${params}): number {`, ...body, '}'] });
      } else if (form === 1) {
        out.push({ parts: ['/** @cpuBoundFork */', `${exp}const ${f.name} = (${params}): number => spin(${mix}, ${rounds});`] });
      } else {
        out.push({ parts: ['/** @cpuBoundFork */', `${exp}const ${f.name} = function (${params}): number {`, ...body, '};'] });
      }
    }
    if (inLib) this.usesLib = true;
    this.fns.push(f);
  }

  private decoratedClass(): void {
    const name = this.fresh('Geo');
    const m = this.fresh('area');
    this.main.push({
      parts: [`class ${name} {`, '  @cpuBoundFork', `  static ${m}(a: number, b: number): number {`,
        // self-contained: the decorator forks in the plain tsc build too, where nothing hoists helpers for it
        `    let h = a * ${this.rnd.int(3, 13)} + b;`, `    for (let i = 0; i < ${this.rnd.int(2000, 12000)}; i++) h = (Math.imul(h, 31) + i) | 0;`,
        '    return (h >>> 0) % 1000;', '  }', '}'],
    });
    this.fns.push({ name: `${name}.${m}`, arity: 2, kind: 'static' });
    this.usesDecorator = true;
  }

  // ---- expressions ----

  private arg(ctx: Ctx): string {
    const r = this.rnd.next();
    if (ctx.loopVars.length > 0 && r < 0.45) {
      const v = this.rnd.pick(ctx.loopVars);
      return this.rnd.chance(0.5) ? v : `${v} + ${this.rnd.int(1, 9)}`;
    }
    if (ctx.nums.length > 0 && r < 0.6) return `${this.rnd.pick(ctx.nums)} % ${this.rnd.int(5, 23)}`;
    return String(this.rnd.int(0, 30));
  }

  private syncFns(risky: boolean): MarkedFn[] {
    return this.fns.filter((f) => f.kind !== 'io' && (risky || !f.fails));
  }

  private call(ctx: Ctx, risky: boolean): string {
    const fs = this.syncFns(risky);
    const f = this.rnd.pick(fs);
    const args = f.arity === 2 ? `${this.arg(ctx)}, ${this.arg(ctx)}` : this.arg(ctx);
    const c = `${f.name}(${args})`;
    return f.kind === 'static' ? `(${c} + 0)` : c;
  }

  /** A number-valued expression holding one or more forked calls. */
  private expr(ctx: Ctx, risky: boolean, depth = 0): string {
    const r = this.rnd.int(0, depth > 1 ? 1 : 9);
    const sub = () => this.expr(ctx, risky, depth + 1);
    switch (r) {
      case 0: case 1: return this.call(ctx, risky);
      case 2: return `${sub()} + ${sub()}`;
      case 3: return `(${this.arg(ctx)} > ${this.rnd.int(3, 20)} ? ${sub()} : ${sub()})`;
      case 4: return `(${sub()} || ${sub()})`;
      case 5: {
        const f = this.rnd.pick(this.syncFns(risky).filter((g) => g.arity === 1 && g.kind !== 'static').concat([]));
        return f ? `${f.name}(${this.call(ctx, risky)} % ${this.rnd.int(5, 30)})` : this.call(ctx, risky);
      }
      case 6: return `Math.max(${sub()}, ${sub()})`;
      case 7: return `[${sub()}, ${sub()}].reduce((s, v) => s + v, 0)`;
      case 8: return `Number(\`\${${sub()}}\`)`;
      default: return `(${sub()} * ${this.rnd.int(2, 5)}) % 1000`;
    }
  }

  // ---- statements ----

  private print(label: string, what: string): string { return `console.log('${label}', ${what});`; }

  private stmts(ctx: Ctx, count: number): Stmt[] {
    const out: Stmt[] = [];
    const local: Ctx = { ...ctx, nums: [...ctx.nums], arrays: [...ctx.arrays] };
    for (let i = 0; i < count && this.budget > 0; i++) {
      this.budget--;
      out.push(...this.stmt(local));
    }
    return out;
  }

  private child(ctx: Ctx, over: Partial<Ctx>): Ctx {
    return { ...ctx, nums: [...ctx.nums], arrays: [...ctx.arrays], depth: ctx.depth + 1, ...over };
  }

  private stmt(ctx: Ctx): Stmt[] {
    if (ctx.pure) return [this.fillStmt(ctx, true)];
    const deep = ctx.depth >= MAX_DEPTH;
    const choices: (() => Stmt[])[] = [
      () => this.declare(ctx),
      () => this.declare(ctx),
      () => [line(this.print(this.fresh('p'), this.expr(ctx, ctx.inTry)))],
      () => this.destructure(ctx),
      () => this.arrayCalls(ctx),
      // a bare call in a loop is joined at the loop's end: only a safe one there (others run early)
      () => [line(`${this.call(ctx, ctx.inTry && !ctx.inLoop)};`)],
    ];
    if (!deep) {
      choices.push(
        () => this.ifStmt(ctx), () => this.forLoop(ctx), () => this.forLoop(ctx), () => this.forOf(ctx),
        () => this.whileLoop(ctx), () => this.tryStmt(ctx), () => this.tryStmt(ctx), () => this.switchStmt(ctx),
        () => this.fillingTry(ctx), () => this.nested(ctx), () => this.generator(ctx), () => this.labelled(ctx),
      );
      if (ctx.async && this.fns.some((f) => f.kind === 'io')) choices.push(() => this.ioStmt(ctx), () => this.ioStmt(ctx));
    }
    if (ctx.inLoop) choices.push(() => this.jump(ctx));
    if (ctx.arrays.length > 0) choices.push(() => [this.fillStmt(ctx, false)], () => [line(this.print(this.fresh('a'), `JSON.stringify(${this.rnd.pick(ctx.arrays)})`))]);
    if (ctx.inTry) choices.push(() => [line(`if (${this.arg(ctx)} > ${this.rnd.int(10, 30)}) throw new FuzzError('thrown ' + ${this.rnd.int(0, 99)}, ${this.rnd.int(0, 99)});`)]);
    return this.rnd.pick(choices)();
  }

  /** const v = ...; a risky value is printed in the same (atomic) statement so nothing runs between fork and join. */
  private declare(ctx: Ctx): Stmt[] {
    const v = this.fresh('v');
    const risky = ctx.inTry && this.rnd.chance(0.5);
    const s = `const ${v} = ${this.expr(ctx, risky)};`;
    if (risky) return [{ parts: [s, this.print(v, v)] }];
    ctx.nums.push(v);
    return this.rnd.chance(0.5) ? [line(s), line(this.print(v, v))] : [line(s)];
  }

  private destructure(ctx: Ctx): Stmt[] {
    const a = this.fresh('d'), b = this.fresh('d');
    const risky = ctx.inTry && this.rnd.chance(0.4);
    const r = this.rnd.int(0, 3);
    let s: string;
    if (r === 0) s = `const [${a}, ${b}] = [${this.expr(ctx, risky)}, ${this.expr(ctx, risky)}];`;
    else if (r === 1) s = `const { ${a}, ${b} } = { ${a}: ${this.expr(ctx, risky)}, ${b}: ${this.expr(ctx, risky)} };`;
    else if (r === 2) s = `const [${a}, ...${b}] = [${this.expr(ctx, risky)}, ${this.expr(ctx, risky)}, ${this.expr(ctx, risky)}];`;
    else s = `const { ${a}, ...${b} } = { ${a}: ${this.expr(ctx, risky)}, q: ${this.expr(ctx, risky)} };`;
    const show = r >= 2 ? this.print(a, `${a}, JSON.stringify(${b})`) : this.print(a, `${a}, ${b}`);
    if (r < 2 && !risky) ctx.nums.push(a, b);
    return risky ? [{ parts: [s, show] }] : [line(s), line(show)];
  }

  /** map / forEach / reduce / Array.from / spread over forked calls. */
  private arrayCalls(ctx: Ctx): Stmt[] {
    const risky = ctx.inTry && this.rnd.chance(0.5);
    const fs = this.syncFns(risky).filter((f) => f.kind !== 'static');
    if (fs.length === 0) return [line(this.print(this.fresh('p'), this.expr(ctx, false)))];
    const f = this.rnd.pick(fs);
    const call = (x: string) => (f.arity === 2 ? `${f.name}(${x}, ${this.rnd.int(0, 9)})` : `${f.name}(${x})`);
    const xs = `[${Array.from({ length: this.rnd.int(2, 6) }, () => this.rnd.int(0, 40)).join(', ')}]`;
    const v = this.fresh('m');
    const r = this.rnd.int(0, 6);
    let s: string[];
    switch (r) {
      case 0: s = [`const ${v} = ${xs}.map((x) => ${call('x')});`]; break;
      case 1: s = f.arity === 1 ? [`const ${v} = ${xs}.map(${f.name});`] : [`const ${v} = ${xs}.map((x, i) => ${f.name}(x, i));`]; break;
      case 2: s = [`const ${v}: number[] = [];`, `${xs}.forEach((x) => { ${v}.push(${call('x')}); });`]; break;
      case 3: s = [`const ${v} = [${xs}.reduce((acc, x) => acc + ${call('x')}, 0)];`]; break;
      case 4: s = [`const ${v} = Array.from({ length: ${this.rnd.int(2, 5)} }, (_, i) => ${call('i')});`]; break;
      case 5: s = [`const ${v} = [...${xs}.map((x) => ${call('x')}), ${this.expr(ctx, risky)}];`]; break;
      default: s = [`const ${v} = [Math.max(...${xs}.map((x) => ${call('x')}))];`];
    }
    const show = this.print(v, `JSON.stringify(${v})`);
    if (risky) return [{ parts: [...s, show] }];
    ctx.arrays.push(v);
    return [{ parts: s }, line(show)];
  }

  /** A push or store into an array declared outside the loop (kept in flight until the loop ends). */
  private fillStmt(ctx: Ctx, risky: boolean): Stmt {
    const arr = ctx.arrays.length > 0 ? this.rnd.pick(ctx.arrays) : undefined;
    if (!arr || ctx.loopVars.length === 0) return line(`${this.call(ctx, risky)};`);
    const i = this.rnd.pick(ctx.loopVars);
    const r = this.rnd.int(0, 3);
    if (r === 0) return line(`${arr}.push(${this.call(ctx, risky)});`);
    if (r === 1) return line(`${arr}[${i}] = ${this.call(ctx, risky)};`);
    if (r === 2) {
      const t = this.fresh('r');
      return { parts: [`const ${t} = ${this.call(ctx, risky)};`, `${arr}.push(${t});`] };
    }
    return line(`if (${i} % ${this.rnd.int(2, 4)} === 0) ${arr}.push(${this.call(ctx, risky)}); else ${arr}[${i}] = ${this.call(ctx, risky)};`);
  }

  private ifStmt(ctx: Ctx): Stmt[] {
    const cond = this.rnd.chance(0.5) || ctx.nums.length === 0 ? `${this.arg(ctx)} % 2 === 0` : `${this.rnd.pick(ctx.nums)} > 500`;
    const then = this.stmts(this.child(ctx, {}), this.rnd.int(1, 3));
    if (this.rnd.chance(0.5)) return [block(`if (${cond}) {`, then)];
    return [{ parts: [`if (${cond}) {`, then, '} else {', this.stmts(this.child(ctx, {}), this.rnd.int(1, 2)), '}'] }];
  }

  private newArray(ctx: Ctx): { decl: Stmt; name: string } {
    const name = this.fresh('xs');
    ctx.arrays.push(name);
    return { decl: line(`const ${name}: number[] = [];`), name };
  }

  private forLoop(ctx: Ctx): Stmt[] {
    const { decl, name } = this.newArray(ctx);
    const i = this.fresh('i');
    const k = this.rnd.int(2, 7);
    const body = this.stmts(this.child(ctx, { loopVars: [...ctx.loopVars, i], inLoop: true, labels: [] }), this.rnd.int(1, 4));
    return [decl, block(`for (let ${i} = 0; ${i} < ${k}; ${i}++) {`, [this.fillStmt({ ...ctx, arrays: [name], loopVars: [i] }, false), ...body]),
      line(this.print(name, `JSON.stringify(${name})`))];
  }

  private forOf(ctx: Ctx): Stmt[] {
    const { decl, name } = this.newArray(ctx);
    const x = this.fresh('e');
    const xs = Array.from({ length: this.rnd.int(2, 5) }, () => this.rnd.int(0, 30)).join(', ');
    const body = this.stmts(this.child(ctx, { loopVars: [...ctx.loopVars, x], inLoop: true, labels: [] }), this.rnd.int(1, 3));
    return [decl, block(`for (const ${x} of [${xs}]) {`, [this.fillStmt({ ...ctx, arrays: [name], loopVars: [x] }, false), ...body]),
      line(this.print(name, `JSON.stringify(${name})`))];
  }

  private whileLoop(ctx: Ctx): Stmt[] {
    const { decl, name } = this.newArray(ctx);
    const k = this.fresh('k');
    const body = this.stmts(this.child(ctx, { loopVars: [...ctx.loopVars, k], inLoop: false, labels: [] }), this.rnd.int(1, 3));
    return [decl, { parts: [`let ${k} = 0;`, `while (${k} < ${this.rnd.int(2, 5)}) {`,
      [this.fillStmt({ ...ctx, arrays: [name], loopVars: [k] }, false), ...body, line(`${k}++;`, true)], '}'] },
    line(this.print(name, `JSON.stringify(${name})`))];
  }

  private labelled(ctx: Ctx): Stmt[] {
    const { decl, name } = this.newArray(ctx);
    const label = this.fresh('outer');
    const i = this.fresh('i'), j = this.fresh('j');
    const inner = this.child(ctx, { loopVars: [...ctx.loopVars, i, j], inLoop: true, labels: [label] });
    const jump = this.rnd.chance(0.5) ? `continue ${label}` : `break ${label}`;
    const body: Stmt[] = [
      this.fillStmt({ ...ctx, arrays: [name], loopVars: [i, j] }, false),
      line(`if (${j} === ${this.rnd.int(0, 3)} && ${i} > 0) ${jump};`),
      ...this.stmts(inner, this.rnd.int(0, 2)),
    ];
    return [decl, { parts: [`${label}: for (let ${i} = 0; ${i} < ${this.rnd.int(2, 4)}; ${i}++) {`,
      [block(`for (let ${j} = 0; ${j} < ${this.rnd.int(2, 4)}; ${j}++) {`, body)], '}'] },
    line(this.print(name, `JSON.stringify(${name})`))];
  }

  private jump(ctx: Ctx): Stmt[] {
    const kw = ctx.inSwitch ? 'continue' : this.rnd.pick(['break', 'continue']);
    const target = ctx.labels.length > 0 && this.rnd.chance(0.4) ? ` ${this.rnd.pick(ctx.labels)}` : '';
    const v = ctx.loopVars.length > 0 ? this.rnd.pick(ctx.loopVars) : '0';
    return [line(`if (${v} === ${this.rnd.int(1, 4)}) ${kw}${target};`)];
  }

  private switchStmt(ctx: Ctx): Stmt[] {
    const inner = this.child(ctx, { inSwitch: true });
    const cases: (string | Stmt[])[] = [];
    for (let c = 0; c < this.rnd.int(1, 3); c++) {
      cases.push(`  case ${c}: {`, [...this.stmts(inner, this.rnd.int(1, 2)), line('break;', true)], '  }');
    }
    cases.push('  default:', this.stmts(inner, 1));
    return [{ parts: [`switch (${this.arg(ctx)} % 3) {`, ...cases, '}'] }];
  }

  private describe(): string[] {
    return ['console.log(\'caught\', e instanceof FuzzError, e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e), e instanceof FuzzError ? e.code : -1);'];
  }

  private tryStmt(ctx: Ctx): Stmt[] {
    const body = this.stmts(this.child(ctx, { inTry: true }), this.rnd.int(1, 4));
    const parts: (string | Stmt[])[] = ['try {', body, '} catch (e) {', [
      ...(this.rnd.chance(0.15) ? [line('if (e instanceof FuzzError && e.code % 5 === 1) throw e;')] : []),
      { parts: this.describe() },
    ]];
    if (this.rnd.chance(0.4)) parts.push('} finally {', [line(this.print(this.fresh('fin'), `${this.rnd.int(0, 9)}`))]);
    parts.push('}');
    return [{ parts }];
  }

  /** A try around a loop that only fills arrays with calls that may throw; the catch and later code see the arrays. */
  private fillingTry(ctx: Ctx): Stmt[] {
    const a = this.fresh('ys'), b = this.fresh('zs');
    const i = this.fresh('i');
    const arrays = this.rnd.chance(0.5) ? [a, b] : [a];
    const pure = this.child(ctx, { pure: true, inTry: true, loopVars: [i], arrays, inLoop: true });
    const body = [this.fillStmt(pure, true), ...this.stmts(pure, this.rnd.int(0, 2))];
    if (this.rnd.chance(0.3)) body.push(line(`if (${i} === ${this.rnd.int(2, 6)}) break;`));
    const loop = this.rnd.chance(0.5)
      ? block(`for (let ${i} = 0; ${i} < ${this.rnd.int(3, 9)}; ${i}++) {`, body)
      : block(`for (const ${i} of [${Array.from({ length: this.rnd.int(3, 7) }, () => this.rnd.int(0, 30)).join(', ')}]) {`, body);
    return [
      ...arrays.map((n) => line(`const ${n}: number[] = [${this.rnd.chance(0.3) ? '-1' : ''}];`)),
      { parts: ['try {', [loop], '} catch (e) {', [{ parts: this.describe() }, line(this.print('in-catch', `JSON.stringify(${a}), ${a}.length`))], '}'] },
      line(this.print(this.fresh('after'), arrays.map((n) => `JSON.stringify(${n})`).join(', '))),
    ];
  }

  /** A helper holding a marked nested function that captures locals (a number, an array, an object, a string). */
  private nested(ctx: Ctx): Stmt[] {
    const h = this.fresh('helper');
    const g = this.rnd.chance(0.5) ? 'g' : this.fresh('g'); // repeated names across helpers on purpose
    const caps = this.rnd.pick(['num', 'arr', 'obj', 'str', 'strs']);
    const decl: string[] = [];
    let use: string;
    if (caps === 'num') { decl.push(`const scale = s * ${this.rnd.int(2, 9)};`); use = 'scale'; }
    else if (caps === 'arr') { decl.push(`const tbl: number[] = [s, ${this.rnd.int(1, 50)}, ${this.rnd.int(1, 50)}];`); use = 'tbl[x % tbl.length]!'; }
    else if (caps === 'obj') { decl.push(`const cfg = { k: s + ${this.rnd.int(1, 9)}, name: 'c' };`); use = 'cfg.k + cfg.name.length'; }
    else if (caps === 'str') { decl.push(`const tag = 'tag' + s;`); use = 'tag.length'; }
    else { decl.push(`const names: string[] = ['a' + s, 'bb'];`); use = 'names[x % 2]!.length'; }
    const fails = this.rnd.chance(0.3) ? ` if (x === ${this.rnd.int(0, 5)}) throw new FuzzError('${g} in ${h}', x);` : '';
    const arrow = this.rnd.chance(0.5);
    const body = `{${fails} return spin(x * 7 + ${use}, ${this.rnd.int(50, 250)}); }`;
    const marked = arrow ? `const ${g} = (x: number): number => ${body};` : `function ${g}(x: number): number ${body}`;
    const n = this.rnd.int(2, 5);
    const r = this.rnd.int(0, 2);
    const call = r === 0 ? `return Array.from({ length: ${n} }, (_, i) => ${g}(i));`
      : r === 1 ? `const out: number[] = [];\n  for (let i = 0; i < ${n}; i++) out.push(${g}(i));\n  return out;`
        : `return [${g}(1) + ${g}(2), ${g}(s % 5)];`;
    this.helpers.push({ parts: [`function ${h}(s: number): number[] {`, ...decl.map((d) => `  ${d}`), '  /** @cpuBoundFork */', `  ${marked}`, ...call.split('\n').map((l) => l.startsWith('  ') ? l : `  ${l}`), '}'] });
    const invoke = this.print(h, `JSON.stringify(${h}(${this.rnd.int(0, 9)}))`);
    if (fails && !ctx.inTry) return [{ parts: ['try {', [line(invoke)], '} catch (e) {', [{ parts: this.describe() }], '}'] }];
    return [line(invoke)];
  }

  /** A generator that yields forked calls, consumed by for-of or spread. */
  private generator(ctx: Ctx): Stmt[] {
    const gname = this.fresh('gen');
    const risky = ctx.inTry && this.rnd.chance(0.4);
    const inner: Ctx = { ...ctx, loopVars: ['n'], nums: [], arrays: [] };
    this.helpers.push({ parts: [`function* ${gname}(count: number): Generator<number> {`,
      `  for (let n = 0; n < count; n++) yield ${this.call(inner, risky)};`, `  yield ${this.call({ ...inner, loopVars: [] }, risky)};`, '}'] });
    const k = this.rnd.int(1, 4);
    if (this.rnd.chance(0.5)) return [line(this.print(gname, `JSON.stringify([...${gname}(${k})])`))];
    const acc = this.fresh('acc');
    return [{ parts: [`let ${acc} = 0;`, `for (const v of ${gname}(${k})) ${acc} += v;`, this.print(acc, acc)] }];
  }

  /** Async io-bound calls: awaited one by one and through Promise.all. */
  private ioStmt(ctx: Ctx): Stmt[] {
    const ios = this.fns.filter((f) => f.kind === 'io' && (ctx.inTry || !f.fails));
    if (ios.length === 0) return [line(this.print(this.fresh('p'), this.expr(ctx, false)))];
    const f = this.rnd.pick(ios);
    const call = (x: string) => (f.arity === 2 ? `${f.name}(${x}, ${this.rnd.int(0, 5)})` : `${f.name}(${x})`);
    const v = this.fresh('io');
    if (this.rnd.chance(0.5)) {
      const xs = Array.from({ length: this.rnd.int(2, 5) }, () => this.rnd.int(0, 30)).join(', ');
      return [{ parts: [`const ${v} = await Promise.all([${xs}].map((x) => ${call('x')}));`, this.print(v, `JSON.stringify(${v})`)] }];
    }
    return [{ parts: [`const ${v} = ${call(this.arg(ctx))};`, `const ${v}b = ${call(this.arg(ctx))};`, this.print(v, `await ${v}, await ${v}b`)] }];
  }

  generate(seed: number): Program {
    const top: Ctx = { loopVars: [], inLoop: false, labels: [], inSwitch: false, inTry: false, pure: false, async: false, nums: [], arrays: [], depth: 0 };
    const nMain = this.rnd.int(1, 3);
    const wantLib = this.rnd.chance(0.35);
    if (this.errorHome === 'lib' || wantLib) this.usesLib = true;
    const libError = this.errorHome === 'lib';
    for (let i = 0; i < nMain; i++) this.markedFn(false);
    if (this.usesLib) for (let i = 0; i < this.rnd.int(1, 2); i++) this.markedFn(true);
    if (this.rnd.chance(0.15)) this.decoratedClass();
    const hasIo = this.fns.some((f) => f.kind === 'io');
    // at least one safe sync function, so every template can place a call anywhere
    if (!this.fns.some((f) => f.kind !== 'io' && !f.fails)) this.markedFnSafe();
    const body = this.stmts(top, this.rnd.int(3, 6));
    let asyncPart: Stmt[] = [];
    if (hasIo || this.rnd.chance(0.2)) {
      const a = { ...top, async: true, depth: 1 };
      this.budget = this.rnd.int(4, 10);
      asyncPart = [{ parts: ['async function amain(): Promise<void> {', this.stmts(a, this.rnd.int(2, 4)), '}'] }, line('await amain();')];
    }
    // Uncaught endings: a risky call outside any try, or a thrown error, sometimes.
    const ending: Stmt[] = [];
    const risky = this.fns.filter((f) => f.fails && f.kind !== 'io');
    if (risky.length > 0 && this.rnd.chance(0.15)) {
      const f = this.rnd.pick(risky);
      ending.push(line(this.print('last', `${f.name}(${this.rnd.int(0, 12)}${f.arity === 2 ? ', 1' : ''})`)));
    }
    else if (this.rnd.chance(0.08)) ending.push(line(`throw new FuzzError('the end', ${this.rnd.int(0, 9)});`));
    if (this.rnd.chance(0.1)) ending.push(line(`process.exitCode = ${this.rnd.int(2, 9)};`));

    const libFns = this.fns.filter((f) => f.name.startsWith('lw')).map((f) => f.name);
    const head: Stmt[] = [];
    if (this.usesDecorator) head.push(line("import { cpuBoundFork } from 'tsfork';", true));
    const libImports = [...(libError ? ['FuzzError'] : []), ...libFns];
    const libSpin = libFns.length > 0;
    if (libImports.length > 0) head.push(line(`import { ${libImports.join(', ')} } from './lib.js';`, true));
    head.push(...this.spin());
    if (!libError) head.push(...this.errorClass());
    const files: Record<string, Stmt[]> = { 'main.ts': [...head, ...this.main, ...this.helpers, ...body, ...asyncPart, ...ending] };
    if (this.usesLib) {
      const libHead: Stmt[] = [];
      if (libSpin || libError) libHead.push(...this.spin());
      if (libError) libHead.push(...this.errorClass().map((s) => ({ ...s, parts: s.parts.map((p) => (p === 'class FuzzError extends Error {' ? 'export class FuzzError extends Error {' : p)) })));
      files['lib.ts'] = [...libHead, ...this.lib];
      if (libHead.length === 0 && this.lib.length === 0) files['lib.ts'] = [line('export {};', true)];
    }
    return { seed, files };
  }

  private markedFnSafe(): void {
    const f: MarkedFn = { name: this.fresh('w'), arity: 1, kind: 'cpu' };
    this.main.push({ parts: ['/** @cpuBoundFork */', `function ${f.name}(x: number): number {`, `  return spin(x * 11 + 3, ${this.rnd.int(60, 300)});`, '}'] });
    this.fns.push(f);
  }
}

/** The program of a seed: the same seed gives the same program on every machine. */
export function generate(seed: number): Program {
  return new Generator(new Rng(seed)).generate(seed);
}
