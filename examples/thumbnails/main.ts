// The seed's thumbnail loop: each call writes a file, and the code after the loop reads them back.
// tsfork joins the loop's forks when the loop ends, so the files are all there.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const outDir = join(tmpdir(), `tsfork-thumbnails-${process.pid}`);

/** A made-up 1200x1200 grey image, the same for the same name. */
function loadImage(name: string): Float64Array {
  const size = 1200;
  const pixels = new Float64Array(size * size);
  let seed = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    pixels[i] = seed / 2 ** 32;
  }
  return pixels;
}

/** @cpuBoundFork */
function createThumbnail(name: string): void {
  const size = 1200;
  const scale = 4;
  const src = loadImage(name);
  const thumb: number[] = [];
  for (let y = 0; y < size / scale; y++) {
    for (let x = 0; x < size / scale; x++) {
      let sum = 0;
      // a box blur around each sample point: the slow part
      for (let dy = -12; dy <= 12; dy++) {
        for (let dx = -12; dx <= 12; dx++) {
          const sy = Math.min(size - 1, Math.max(0, y * scale + dy));
          const sx = Math.min(size - 1, Math.max(0, x * scale + dx));
          sum += src[sy * size + sx]!;
        }
      }
      thumb.push(Math.round((sum / 625) * 255));
    }
  }
  writeFileSync(join(outDir, name + '.thumb'), thumb.join(','));
}

mkdirSync(outDir, { recursive: true });
const images = ['beach', 'city', 'forest', 'harbour', 'mountain', 'river', 'snow', 'sunset', 'desert', 'lake', 'meadow', 'canyon', 'glacier', 'island', 'valley', 'volcano'];
for (const image of images) createThumbnail(image);

for (const image of images) {
  const values = readFileSync(join(outDir, image + '.thumb'), 'utf8').split(',').map(Number);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  console.log(`${image}: ${values.length} pixels, mean ${mean.toFixed(3)}`);
}
rmSync(outDir, { recursive: true });
