// What the calling thread and the bridge thread (bridge.ts) say to each other over their MessagePort.
import type { SerializedError } from '../errors.js';

export type BridgeRequest =
  | { type: 'run'; id: number; method: string; params: unknown[] }
  | { type: 'cancel'; id: number }
  | { type: 'terminate'; id: number };

export type BridgeReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };
