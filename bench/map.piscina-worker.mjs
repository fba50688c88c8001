// piscina worker for bench/map.bench.mjs: one item per task, or a whole chunk per task.
export default function (x) { return x * 2; }
export function chunk(xs) { return xs.map((x) => x * 2); }
