// Renders a module's call plan as edits: each fork where its call was, each join where the plan put it.
import type ts from 'typescript';
import { emitAsync } from '../joins/async.js';
import { emitExits } from '../joins/exits.js';
import { emitGroup, emitTempDeclaration } from '../joins/expression.js';
import { emitBlockEnd, emitLazyDeclaration, emitReads } from '../joins/lazy.js';
import { emitLoop, emitWrite } from '../joins/loop-log.js';
import { emitMap, emitMapReference } from '../joins/map.js';
import { forkInPlace, type EmitContext } from '../joins/shared.js';
import { emitRunEnds, emitUnused } from '../joins/unused-run.js';
import type { CallPlan } from '../plan/types.js';
import { contextOf } from '../refs.js';

export function emitCalls(e: EmitContext, plan: CallPlan): void {
  for (const f of plan.forks) {
    const d = f.join;
    switch (d.strategy) {
      case 'map': emitMap(e, f.call, f.target, f.joinCaptures, d); break;
      case 'async': emitAsync(e, f.call, f.target, f.joinCaptures); break;
      case 'lazy':
        forkInPlace(e, f.call, f.target, f.joinCaptures);
        emitLazyDeclaration(e, d.variable);
        break;
      case 'unused-loop': case 'unused-run': case 'unused-inline':
        emitUnused(e, f.call, f.target, f.joinCaptures, d, contextOf(f.call));
        break;
      case 'push': case 'store':
        emitWrite(e, d.write);
        forkInPlace(e, f.call, f.target, f.joinCaptures);
        break;
      case 'expression': break; // with its group
    }
  }
  const declared = new Set<ts.Node>();
  const declareTemps = (host: ts.Node) => {
    if (declared.has(host)) return;
    declared.add(host);
    emitTempDeclaration(e, host, plan.temps.get(host)!);
  };
  for (const g of plan.expressions) emitGroup(e, g, declareTemps);
  for (const lv of plan.lazy) emitReads(e, lv);
  for (const w of plan.otherWrites) emitWrite(e, w);
  for (const lv of plan.lazy) emitBlockEnd(e, lv);
  for (const st of plan.loops) emitLoop(e, st);
  emitRunEnds(e, plan.unusedRuns, contextOf);
  emitExits(e, plan.exits);
  for (const r of plan.mapReferences) emitMapReference(e, r);
}
