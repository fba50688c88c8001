const { work, trivial } = require('./runtime-work.cjs');
module.exports = ({ fn, n }) => (fn === 'work' ? work(n) : trivial(n));
