const workerpool = require('workerpool');
workerpool.worker(require('./runtime-work.cjs'));
