// The programs the Example menu offers. Each is a plain sequential program; the markers are comments.
export interface Example {
  id: string;
  title: string;
  code: string;
}

const thumbnails = `// Thumbnails of eight pictures: createThumbnail is marked, so each call in the loop runs on a worker,
// and the results are read after the loop.
interface Picture { name: string; width: number; height: number; pixels: number[] }
interface Thumbnail { name: string; width: number; height: number; checksum: number }

function makePicture(name: string, width: number, height: number): Picture {
  const pixels: number[] = [];
  // Made-up pixels, different for each name: a hash of the name starts a pseudo-random sequence.
  let state = 0;
  for (let i = 0; i < name.length; i++) state = (Math.imul(state, 31) + name.charCodeAt(i)) | 0;
  for (let i = 0; i < width * height; i++) {
    state = (Math.imul(state, 1103515245) + 12345) | 0;
    pixels.push((state >>> 16) & 255);
  }
  return { name, width, height, pixels };
}

/** @cpuBoundFork */
function createThumbnail(picture: Picture): Thumbnail {
  const { width, height } = picture;
  let pixels = Float64Array.from(picture.pixels);
  let next = new Float64Array(pixels.length);
  // A box blur, run several times, so each thumbnail costs real CPU time.
  for (let pass = 0; pass < 16; pass++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        let count = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy >= 0 && yy < height && xx >= 0 && xx < width) {
              sum += pixels[yy * width + xx];
              count++;
            }
          }
        }
        next[y * width + x] = sum / count;
      }
    }
    [pixels, next] = [next, pixels];
  }
  // Then keep every fourth pixel each way.
  let checksum = 0;
  for (let y = 0; y < height; y += 4) {
    for (let x = 0; x < width; x += 4) checksum = (checksum * 31 + Math.round(pixels[y * width + x])) % 1000003;
  }
  return { name: picture.name, width: Math.ceil(width / 4), height: Math.ceil(height / 4), checksum };
}

const pictures = ['beach', 'city', 'forest', 'harbour', 'mountain', 'river', 'snow', 'sunset']
  .map((name) => makePicture(name, 400, 300));

const thumbnails: Thumbnail[] = [];
for (const picture of pictures) {
  thumbnails.push(createThumbnail(picture));
}

for (const thumbnail of thumbnails) {
  console.log(\`\${thumbnail.name}: \${thumbnail.width}x\${thumbnail.height}, checksum \${thumbnail.checksum}\`);
}
`;

const fib = `// fib over a list: each call from the list forks; fib's calls to itself stay plain calls.
/** @cpuBoundFork */
function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

const inputs = [35, 36, 34, 37, 35, 34, 36, 33];
const results = inputs.map((n) => fib(n));

for (let i = 0; i < inputs.length; i++) {
  console.log(\`fib(\${inputs[i]}) = \${results[i]}\`);
}
`;

const capture = `// A marked arrow inside a function captures its locals: they travel with each call.
function scoreAll(words: string[], rounds: number): number[] {
  const salt = words.length * 17;

  /** @cpuBoundFork */
  const score = (word: string): number => {
    let hash = salt;
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < word.length; i++) {
        hash = (hash * 31 + word.charCodeAt(i) + round) % 1000003;
      }
    }
    return hash;
  };

  return words.map((word) => score(word));
}

const words = ['fork', 'join', 'hoist', 'capture', 'worker', 'module'];
const scores = scoreAll(words, 2_000_000);
words.forEach((word, i) => console.log(\`\${word}: \${scores[i]}\`));
`;

const errors = `// An error thrown in a worker surfaces where the value is used: same class, same catch.
/** @cpuBoundFork */
function parseReading(line: string): number {
  // Pretend parsing is expensive.
  let spin = 0;
  for (let i = 0; i < 20_000_000; i++) spin = (spin + i) % 7;
  const value = Number(line);
  if (!Number.isFinite(value)) throw new RangeError(\`not a number: "\${line}"\`);
  return value + spin * 0;
}

const batches = [
  ['12.5', '7', '30', '2.5'],
  ['4', 'n/a', '8', '1'],
  ['9', '10', '11', '12'],
];

for (const batch of batches) {
  try {
    const readings = batch.map((line) => parseReading(line));
    console.log(\`batch total: \${readings.reduce((sum, x) => sum + x, 0)}\`);
  } catch (error) {
    if (error instanceof RangeError) console.log(\`batch skipped, \${error.message}\`);
    else throw error;
  }
}
`;

const io = `// An I/O-bound call: each call mostly waits, so the I/O workers run several at once.
/** @ioBoundFork */
function download(url: string): string {
  // Stands in for a blocking network call (the playground has no server to ask): it waits 300 ms.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  return \`<html><title>\${url}</title></html>\`;
}

const urls = ['/home', '/about', '/blog', '/docs', '/faq', '/contact', '/jobs', '/press'];
const pages = urls.map((url) => download(url));

urls.forEach((url, i) => console.log(\`\${url}: \${pages[i].length} bytes\`));
`;

const ioAsync = `// An async I/O-bound function: all calls start first, then Promise.all awaits them, so they wait together.
/** @ioBoundFork */
async function fetchPage(url: string): Promise<string> {
  // Stands in for fetch() (the playground has no server to ask): it waits 300 ms.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return \`<html><title>\${url}</title></html>\`;
}

async function main(): Promise<void> {
  const urls = ['/a', '/b', '/c', '/d'];
  const pages = await Promise.all(urls.map((url) => fetchPage(url)));
  urls.forEach((url, i) => console.log(\`\${url}: \${pages[i].length} bytes\`));
}

await main();
`;

export const examples: Example[] = [
  { id: 'thumbnails', title: 'Thumbnail loop', code: thumbnails },
  { id: 'fib', title: 'fib over a list', code: fib },
  { id: 'capture', title: 'Closure capture', code: capture },
  { id: 'errors', title: 'Error caught at the use site', code: errors },
  { id: 'io', title: 'I/O-bound call', code: io },
  { id: 'io-async', title: 'Async I/O-bound function', code: ioAsync },
];
