// rng.js — the deterministic random numbers of the test generators
// (gen-vectors.js, gen-langtags.js): mulberry32 from a 32-bit seed.
'use strict';
module.exports = function rng(seed) {
	let s = seed >>> 0;
	function rnd() {
		s = (s + 0x6D2B79F5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	return {
		rnd,
		pick: (a) => a[Math.floor(rnd() * a.length)],
		int: (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)),
	};
};
