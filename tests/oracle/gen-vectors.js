#!/usr/bin/env node
// gen-vectors.js N SEED — prints N random valid CVSS vectors (v2.0, v3.0, v3.1,
// v4.0 in turn) with random subsets of the optional metric groups. Deterministic
// for a given SEED; independent of keikai (its metric tables are written here
// from the specifications, not taken from keikai's sources).
'use strict';
const N = parseInt(process.argv[2] || '10000', 10);
const { rnd, pick } = require('./rng')(parseInt(process.argv[3] || '1', 10));
const V2 = {
	base: [['AV', 'LAN'], ['AC', 'HML'], ['Au', 'MSN'], ['C', 'NPC'], ['I', 'NPC'], ['A', 'NPC']],
	groups: [
		[['E', ['U', 'POC', 'F', 'H', 'ND']], ['RL', ['OF', 'TF', 'W', 'U', 'ND']], ['RC', ['UC', 'UR', 'C', 'ND']]],
		[['CDP', ['N', 'L', 'LM', 'MH', 'H', 'ND']], ['TD', ['N', 'L', 'M', 'H', 'ND']], ['CR', ['L', 'M', 'H', 'ND']],
		 ['IR', ['L', 'M', 'H', 'ND']], ['AR', ['L', 'M', 'H', 'ND']]],
	],
};
const V3 = {
	base: [['AV', 'NALP'], ['AC', 'LH'], ['PR', 'NLH'], ['UI', 'NR'], ['S', 'UC'], ['C', 'HLN'], ['I', 'HLN'], ['A', 'HLN']],
	groups: [
		[['E', 'XUPFH'], ['RL', 'XOTWU'], ['RC', 'XURC']],
		[['CR', 'XLMH'], ['IR', 'XLMH'], ['AR', 'XLMH'], ['MAV', 'XNALP'], ['MAC', 'XLH'], ['MPR', 'XNLH'],
		 ['MUI', 'XNR'], ['MS', 'XUC'], ['MC', 'XNLH'], ['MI', 'XNLH'], ['MA', 'XNLH']],
	],
};
const V4 = {
	base: [['AV', 'NALP'], ['AC', 'LH'], ['AT', 'NP'], ['PR', 'NLH'], ['UI', 'NPA'], ['VC', 'HLN'], ['VI', 'HLN'],
	       ['VA', 'HLN'], ['SC', 'HLN'], ['SI', 'HLN'], ['SA', 'HLN']],
	groups: [
		[['E', 'XAPU']],
		[['CR', 'XHML'], ['IR', 'XHML'], ['AR', 'XHML'], ['MAV', 'XNALP'], ['MAC', 'XLH'], ['MAT', 'XNP'],
		 ['MPR', 'XNLH'], ['MUI', 'XNPA'], ['MVC', 'XHLN'], ['MVI', 'XHLN'], ['MVA', 'XHLN'], ['MSC', 'XHLN'],
		 ['MSI', 'XHLNS'], ['MSA', 'XHLNS']],
		[['S', 'XNP'], ['AU', 'XNY'], ['R', 'XAUI'], ['V', 'XDC'], ['RE', 'XLMH'], ['U', ['X', 'Clear', 'Green', 'Amber', 'Red']]],
	],
};
function vals(v) { return typeof v === 'string' ? v.split('') : v; }
function make(spec) {
	const parts = spec.base.map(([m, v]) => m + ':' + pick(vals(v)));
	for (const g of spec.groups) {
		const mode = rnd(); // a third: group absent; a third: all of it; a third: a random subset
		if (mode < 1 / 3) continue;
		for (const [m, v] of g)
			if (mode < 2 / 3 || rnd() < 0.4)
				parts.push(m + ':' + pick(vals(v)));
	}
	return parts;
}
const out = [];
for (let i = 0; i < N; i++) {
	switch (i % 4) {
	case 0: out.push(make(V2).join('/')); break;
	case 1: out.push('CVSS:3.0/' + make(V3).join('/')); break;
	case 2: out.push('CVSS:3.1/' + make(V3).join('/')); break;
	default: out.push('CVSS:4.0/' + make(V4).join('/'));
	}
}
process.stdout.write(out.join('\n') + '\n');
