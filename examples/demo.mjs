// `npm run demo`: each example built as the plain sequential program and with tsfork, run both ways:
// same output, less time.
import { buildExamples, exampleNames, runExample } from './build.mjs';

buildExamples();
let differ = 0;
for (const name of exampleNames()) {
  const seq = runExample(name, 'sequential');
  const par = runExample(name, 'parallel');
  const same = seq.stdout === par.stdout && seq.status === par.status;
  if (!same) differ++;
  console.log(`\n== examples/${name}/main.ts`);
  process.stdout.write(par.stdout);
  if (par.stderr) process.stderr.write(par.stderr);
  console.log(`sequential ${seq.ms.toFixed(0)} ms, tsfork ${par.ms.toFixed(0)} ms (${(seq.ms / par.ms).toFixed(2)}x), ` +
    (same ? 'same output' : 'OUTPUT DIFFERS from the sequential run'));
}
process.exit(differ ? 1 : 0);
