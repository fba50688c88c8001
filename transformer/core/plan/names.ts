// Generated names: unique in the module, never one the user's code already uses (any scope, any nesting), so a
// generated declaration can neither collide with another nor shadow a user binding.
import ts from 'typescript';
import type { MarkerSite } from '../markers.js';

/** The worker module's export name of a top-level marked function; scanMarkers and the planner share it. */
export function topLevelWorkerName(site: MarkerSite): string {
  if (site.method) return `__tsfork_${site.method.className}_${site.nameNode.text}`;
  return site.isDefault ? 'default' : site.name;
}

export class Names {
  private readonly used = new Set<string>();
  private counter = 0;
  /** the runtime namespace import */
  readonly rt: string;
  /** the worker module's URL */
  readonly workerUrl: string;
  /** the rest parameter of a stand-in */
  readonly rest: string;

  constructor(sf: ts.SourceFile) {
    const visit = (n: ts.Node) => {
      if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) this.used.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    this.rt = this.claim('__tsfork');
    this.workerUrl = this.claim(`${this.rt}_worker`);
    this.rest = this.claim(`${this.rt}_a`);
  }

  /** `name` when free, else `name_2`, `name_3`...; taken from then on. */
  claim(name: string): string {
    let n = name;
    for (let i = 2; this.used.has(n); i++) n = `${name}_${i}`;
    this.used.add(n);
    return n;
  }

  /** `__tsfork_<base><n>`, n counting up across the module; `also` suffixes must be free too (derived names). */
  fresh(base: string, also: string[] = []): string {
    for (;;) {
      const n = `${this.rt}_${base}${++this.counter}`;
      if (this.used.has(n) || also.some((s) => this.used.has(n + s))) continue;
      this.used.add(n);
      for (const s of also) this.used.add(n + s);
      return n;
    }
  }

  /** Whether the user's code (or an earlier claim) uses the name. */
  taken(name: string): boolean {
    return this.used.has(name);
  }
}
