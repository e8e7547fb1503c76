#!/usr/bin/env node
// score.js — the differential oracle: reads CVSS vectors, one per line, on
// stdin and prints for each "base temporal environmental score" scored by the
// npm package ae-cvss-calculator ("-" for a group it does not compute, or
// "error" for a vector it rejects). Used by tests/t/t0100 and bench/20-cvss.sh.
'use strict';
const path = require('path');
const { fromVector } = require(path.join(__dirname, 'node_modules', 'ae-cvss-calculator'));
const fmt = (x) => (x === undefined || x === null || Number.isNaN(x) ? '-' : x.toFixed(1));
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const out = [];
for (const line of lines) {
	const v = line.trim();
	if (!v) continue;
	let r;
	try {
		const c = fromVector(v);
		if (!c) { out.push('error'); continue; }
		const s = c.calculateScores();
		if (v.startsWith('CVSS:4.0/')) r = [s.overall, undefined, undefined, s.overall];
		else r = [s.base, s.temporal, s.environmental, s.overall];
		out.push(r.map(fmt).join(' '));
	} catch (e) {
		out.push('error');
	}
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
