// Every example of the seed documentation (Python `parallel`), translated to tsfork and checked.
import { describe, expect, it } from 'vitest';
import * as parallel from 'tsfork';
import { tasks } from './fixtures/load.js';

const { downloadAndStore, downloadAndStoreAs, getPriceBitcoin, getPriceEther, getPriceRipple, add } = tasks;
const urls = ['https://python.org', 'https://rmotr.com', 'https://nodejs.org'];
const expected = ['python.org results', 'rmotr.com results', 'nodejs.org results'];

describe('seed: parallel.map and parallel.par', () => {
  it('map: results = parallel.map(download_and_store, urls)', async () => {
    expect(await parallel.map(downloadAndStore, urls)).toEqual(expected);
  });

  it('par: prices = parallel.par({btc: (fn, "bitstamp"), eth: future(fn, exchange=...), xrp: future(fn, "bitstamp")})', async () => {
    const prices = await parallel.par({
      btc: [getPriceBitcoin, 'bitstamp'],
      eth: parallel.future(getPriceEther, 'bitfinex'),
      xrp: parallel.future(getPriceRipple, 'bitstamp'),
    });
    expect(prices).toEqual({ btc: 'btc@bitstamp', eth: 'eth@bitfinex', xrp: 'xrp@bitstamp' });
  });
});

describe('seed: choosing an executor', () => {
  it('thread: parallel.thread.map(...) and executor=THREAD_EXECUTOR', async () => {
    expect(await parallel.thread.map(downloadAndStore, urls)).toEqual(expected);
    expect(await parallel.map(downloadAndStore, urls, { executor: parallel.THREAD_EXECUTOR })).toEqual(expected);
  });

  it('process: parallel.process.map(...) and executor=PROCESS_EXECUTOR', async () => {
    expect(await parallel.process.map(downloadAndStore, urls)).toEqual(expected);
    expect(await parallel.map(downloadAndStore, urls, { executor: parallel.PROCESS_EXECUTOR })).toEqual(expected);
  });

  it('executor parameters: executor=THREAD_EXECUTOR, timeout=10, max_workers=5', async () => {
    const results = await parallel.map(downloadAndStore, urls, {
      executor: parallel.THREAD_EXECUTOR, timeout: 10_000, maxWorkers: 5,
    });
    expect(results).toEqual(expected);
  });
});

describe('seed: decorating functions', () => {
  const download = parallel.decorate(downloadAndStore);
  const btc = parallel.decorate(getPriceBitcoin);
  const eth = parallel.decorate(getPriceEther);

  it('download_and_store.map(urls)', async () => {
    expect(await download.map(urls)).toEqual(expected);
  });

  it('.thread.map(urls, timeout=10, max_workers=5) and .process.map(...)', async () => {
    expect(await download.thread.map(urls, { timeout: 10_000, maxWorkers: 5 })).toEqual(expected);
    expect(await download.process.map(urls, { timeout: 10_000, maxWorkers: 5 })).toEqual(expected);
  });

  it('par with decorated futures: btc.future("bitstamp"), eth.future(exchange="bitfinex")', async () => {
    const prices = await parallel.par({ btc: btc.future('bitstamp'), eth: eth.future('bitfinex') });
    expect(prices).toEqual({ btc: 'btc@bitstamp', eth: 'eth@bitfinex' });
  });

  it('decorated functions are still callable normally', () => {
    expect(download('https://python.org')).toBe('python.org results');
    expect(btc('bitstamp')).toBe('btc@bitstamp');
    expect(download.name).toBe('downloadAndStore');
  });
});

describe('seed: sequences or dictionaries', () => {
  it('sequential: a list gives a list', async () => {
    const results = await parallel.map(downloadAndStore, ['https://python.org', 'https://rmotr.com']);
    expect(results).toEqual(['python.org results', 'rmotr.com results']);
  });

  it('named: a dictionary gives a dictionary with the same keys', async () => {
    const results = await parallel.map(downloadAndStore, { python: 'https://python.org', rmotr: 'https://rmotr.com' });
    expect(results).toEqual({ python: 'python.org results', rmotr: 'rmotr.com results' });
    expect(Object.keys(results)).toEqual(['python', 'rmotr']);
  });
});

describe('seed: named and optional parameters', () => {
  it('multiple arguments: an array item is the argument list', async () => {
    const results = await parallel.map(downloadAndStoreAs, [['https://python.org', 'json'], ['https://rmotr.com', 'xml']]);
    expect(results).toEqual([
      { url: 'https://python.org', contentType: 'json', dbTable: 'websites', logLevel: 'info', options: null },
      { url: 'https://rmotr.com', contentType: 'xml', dbTable: 'websites', logLevel: 'info', options: null },
    ]);
  });

  it('named parameters: a trailing options object', async () => {
    const results = await parallel.map(downloadAndStoreAs, [
      ['https://python.org', 'json', { dbTable: 'webpages' }],
      ['https://rmotr.com', 'xml', { logLevel: 'debug' }],
    ]);
    expect(results.map((r: any) => [r.dbTable, r.logLevel])).toEqual([['webpages', 'info'], ['websites', 'debug']]);
  });

  it('extras: merged into every call, all URLs stored in temporary_webpages', async () => {
    const results = await parallel.map(downloadAndStoreAs, [['https://python.org', 'json'], ['https://rmotr.com', 'xml']], {
      extras: { dbTable: 'temporary_webpages' },
    });
    expect(results.map((r: any) => r.dbTable)).toEqual(['temporary_webpages', 'temporary_webpages']);
    expect(results.map((r: any) => r.contentType)).toEqual(['json', 'xml']);
  });

  it('advanced: arg(...) passes exactly its arguments', async () => {
    const results = await parallel.map(downloadAndStoreAs, {
      python: parallel.arg('https://python.org', 'json', { options: { 'Content-Type': 'application/json' } }),
      rmotr: 'https://rmotr.com',
    });
    expect(results).toEqual({
      python: { url: 'https://python.org', contentType: 'json', dbTable: 'websites', logLevel: 'info', options: { 'Content-Type': 'application/json' } },
      rmotr: { url: 'https://rmotr.com', contentType: undefined, dbTable: 'websites', logLevel: 'info', options: null },
    });
  });

  it('advanced: future(fn, ...args) in par passes an options object untouched', async () => {
    const prices = await parallel.par({
      btc: parallel.future(getPriceBitcoin, 'bitstamp'),
      eth: parallel.future(getPriceEther, 'bitfinex', { 'Content-Type': 'application/json' }),
    }, { extras: { ignored: true } });
    expect(prices).toEqual({ btc: 'btc@bitstamp', eth: 'eth@bitfinex:{"Content-Type":"application/json"}' });
  });
});

describe('seed: error handling', () => {
  it('by default the error propagates', async () => {
    await expect(parallel.map(add, [[2, 3], ['a', 5], ['hello ', 'world']])).rejects.toThrow(TypeError);
  });

  it('silent: failures, FailedTask in its slot, replaceFailed', async () => {
    const results = await parallel.map(add, [[2, 3], ['a', 5], ['hello ', 'world']], { silent: true });
    expect(results.failures).toBe(true);
    const [r1, r2, r3] = results;
    expect(r1).toBe(5);
    expect(r3).toBe('hello world');
    expect(r2).toBeInstanceOf(parallel.FailedTask);
    const failed = r2 as parallel.FailedTask;
    expect(failed.name).toBe('add');
    expect(failed.args).toEqual(['a', 5]);
    expect(failed.error).toBeInstanceOf(TypeError);
    expect(failed.error.message).toBe("unsupported operand type(s) for +: 'string' and 'number'");
    expect(results.replaceFailed(null)).toEqual([5, null, 'hello world']);
    expect(results.failed).toEqual([r2]);
    expect(results.succeeded).toEqual([5, 'hello world']);
  });
});
