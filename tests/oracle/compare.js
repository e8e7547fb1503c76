#!/usr/bin/env node
// compare.js VECTORS KEIKAI_JSON ORACLE_OUT — line by line, compares
// `keikai cvss -` output with score.js output; prints every mismatch and
// exits 1 if there is any.
'use strict';
const fs = require('fs');
const read = (f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '');
const [vf, kf, of] = process.argv.slice(2);
const vecs = read(vf), kk = read(kf), or = read(of);
const f = (x) => (x === null || x === undefined ? '-' : x.toFixed(1));

/*
 * Where ae-cvss-calculator is wrong per the specification (see README.md):
 *  1. CVSS v2 environmental score: it rounds Exploitability to one decimal and
 *     does not round AdjustedBase/AdjustedTemporal, unlike the v2 guide 3.2.3.
 *     For those fields keikai is compared with the guide's equations evaluated
 *     here in exact integer (BigInt) arithmetic instead.
 *  2. CVSS v2 temporal score at an exact tie (e.g. 9.0 * 0.95 = 8.55): it rounds
 *     the binary float 8.549999... down; round_to_1_decimal of 8.55 is 8.6.
 *     Excluded only when the exact product is a tie and keikai rounded it up.
 *  3. CVSS v3.0 Roundup: it computes Math.ceil(x * 10) / 10 on binary floats,
 *     so 5.0 * 0.92 = 4.6000000000000005 becomes 4.7 (the spec: Roundup(4.6) =
 *     4.6). Excluded only when the oracle is 0.1 above keikai and the v3.0
 *     equations evaluated here in exact integer arithmetic give keikai's value.
 */
const W2 = { // thousandths, from the CVSS v2 guide section 3.2
	AV: { L: 395n, A: 646n, N: 1000n }, AC: { H: 350n, M: 610n, L: 710n }, Au: { M: 450n, S: 560n, N: 704n },
	C: { N: 0n, P: 275n, C: 660n }, I: { N: 0n, P: 275n, C: 660n }, A: { N: 0n, P: 275n, C: 660n },
	E: { U: 850n, POC: 900n, F: 950n, H: 1000n, ND: 1000n }, RL: { OF: 870n, TF: 900n, W: 950n, U: 1000n, ND: 1000n },
	RC: { UC: 900n, UR: 950n, C: 1000n, ND: 1000n }, CDP: { N: 0n, L: 100n, LM: 300n, MH: 400n, H: 500n, ND: 0n },
	TD: { N: 0n, L: 250n, M: 750n, H: 1000n, ND: 1000n }, CR: { L: 500n, M: 1000n, H: 1510n, ND: 1000n },
};
W2.IR = W2.CR; W2.AR = W2.CR;
// round_to_1_decimal (half up) of num / scale, in tenths
const r1 = (num, scale) => (num <= 0n ? 0n : (num * 10n + scale / 2n) / scale);
function v2exact(vec) {
	const m = {};
	for (const p of vec.split('/')) { const [k, v] = p.split(':'); m[k] = v; }
	const w = (k) => W2[k][m[k] || (k === 'CDP' ? 'N' : 'ND')];
	const K = 1000n, expl = 20n * w('AV') * w('AC') * w('Au'); // scale 1e9
	const adjImpact = (cr, ir, ar, cap) => { // scale 1e20 (10.41 = 1041 / 100)
		const x = K * K - w('C') * cr, y = K * K - w('I') * ir, z = K * K - w('A') * ar;
		let v = 1041n * (K ** 6n - x * y * z);
		return cap && v > 10n * 10n ** 20n ? 10n * 10n ** 20n : v; // only AdjustedImpact has min(10, ...)
	};
	const base = (imp) => imp === 0n ? 0n : r1((6n * imp + 4n * expl * 10n ** 11n - 15n * 10n ** 20n) * 1176n, 10n ** 24n);
	const temporal = (b) => r1(b * w('E') * w('RL') * w('RC'), 10n ** 10n);
	const b = base(adjImpact(K, K, K, false)), t = temporal(b);
	const at = temporal(base(adjImpact(w('CR'), w('IR'), w('AR'), true)));
	const env = r1((at * 1000n + (100n - at) * w('CDP')) * w('TD'), 10n ** 7n);
	const tie = (b * w('E') * w('RL') * w('RC')) % (10n ** 9n) === 5n * 10n ** 8n;
	return { base: b, temporal: t, env, tie };
}
// CVSS v3.0 in exact arithmetic: a value is [numerator, power of ten of its denominator].
const W3 = { // hundredths, CVSS v3.0 specification section 8
	AV: { N: 85n, A: 62n, L: 55n, P: 20n }, AC: { L: 77n, H: 44n }, UI: { N: 85n, R: 62n },
	PRU: { N: 85n, L: 62n, H: 27n }, PRC: { N: 85n, L: 68n, H: 50n }, CIA: { H: 56n, L: 22n, N: 0n },
	E: { X: 100n, H: 100n, F: 97n, P: 94n, U: 91n }, RL: { X: 100n, U: 100n, W: 97n, T: 96n, O: 95n },
	RC: { X: 100n, C: 100n, R: 96n, U: 92n }, REQ: { X: 100n, H: 150n, M: 100n, L: 50n },
};
const P10 = (k) => 10n ** BigInt(k);
const at = ([n, d], e) => n * P10(e - d); // numerator at denominator 10^e (e >= d)
const roundupX = ([n, d]) => { const q = P10(d - 1); return n <= 0n ? 0n : (n + q - 1n) / q; }; // tenths, ceil
function v30exact(vec) {
	const m = {};
	for (const p of vec.slice(9).split('/')) { const [k, v] = p.split(':'); m[k] = v; }
	const g = (k) => (m['M' + k] && m['M' + k] !== 'X' ? m['M' + k] : m[k]);
	const tm = W3.E[m.E || 'X'] * W3.RL[m.RL || 'X'] * W3.RC[m.RC || 'X']; // 1e6
	function score(C, I, A, cr, ir, ar, av, ac, pr, ui, changed, cap) {
		const H = 100n;
		let iss = P10(6) * H * H * H - (H * H - cr * C) * (H * H - ir * I) * (H * H - ar * A); // 1e12
		if (cap && iss > 915n * P10(9)) iss = 915n * P10(9);
		let imp; // [n, d]
		if (!changed) imp = [642n * iss, 14];
		else {
			const p = (iss - 2n * P10(10)) ** 15n; // 1e180
			imp = [752n * (iss - 29n * P10(9)) * P10(168) - 325n * p, 182];
		}
		if (imp[0] <= 0n) return 0n;
		const expl = [822n * W3.AV[av] * W3.AC[ac] * (changed ? W3.PRC : W3.PRU)[pr] * W3.UI[ui], 10];
		let sum = [at(imp, 182) + at(expl, 182), 182];
		if (changed) sum = [108n * sum[0], 184];
		if (sum[0] > 10n * P10(sum[1])) sum = [100n, 1];
		return roundupX(sum);
	}
	const bc = m.S === 'C';
	const base = score(W3.CIA[m.C], W3.CIA[m.I], W3.CIA[m.A], 100n, 100n, 100n, m.AV, m.AC, m.PR, m.UI, bc, false);
	const temporal = roundupX([base * tm, 7]);
	const mc = (m.MS && m.MS !== 'X' ? m.MS : m.S) === 'C';
	const menv = score(W3.CIA[g('C')], W3.CIA[g('I')], W3.CIA[g('A')], W3.REQ[m.CR || 'X'], W3.REQ[m.IR || 'X'],
		W3.REQ[m.AR || 'X'], g('AV'), g('AC'), g('PR'), g('UI'), mc, true);
	return { base, temporal, env: roundupX([menv * tm, 7]) };
}
const tenths = (x) => (x === '-' ? null : Math.round(parseFloat(x) * 10));
let excluded = { v2env: 0, v2tie: 0, v30roundup: 0 };
function explained(vec, j, gotF, orF) {
	const fields = [0, 1, 2, 3].filter((i) => gotF[i] !== orF[i]);
	if (j.version === '2.0') {
		const ex = v2exact(vec), envGiven = j.environmentalScore !== null;
		for (const i of fields) {
			if ((i === 2 || (i === 3 && envGiven)) && BigInt(tenths(gotF[i])) === ex.env) { excluded.v2env++; continue; }
			if ((i === 1 || (i === 3 && !envGiven)) && ex.tie && BigInt(tenths(gotF[i])) === ex.temporal &&
			    tenths(orF[i]) === tenths(gotF[i]) - 1) { excluded.v2tie++; continue; }
			return false;
		}
		return true;
	}
	if (j.version === '3.0') {
		const ex = v30exact(vec);
		const want = [ex.base, j.temporalScore !== null ? ex.temporal : null, j.environmentalScore !== null ? ex.env : null];
		want.push(want[2] !== null ? want[2] : want[1] !== null ? want[1] : want[0]);
		for (const i of fields) {
			if (!(want[i] !== null && BigInt(tenths(gotF[i])) === want[i] && tenths(orF[i]) === tenths(gotF[i]) + 1))
				return false;
			excluded.v30roundup++;
		}
		return true;
	}
	return false;
}
// keikai's v2 and v3.0 scores must also equal the exact-arithmetic evaluation.
function exactAgrees(vec, j) {
	const ex = j.version === '2.0' ? v2exact(vec) : v30exact(vec);
	const t = (x) => (x === null ? null : BigInt(Math.round(x * 10)));
	return t(j.baseScore) === ex.base && (j.temporalScore === null || t(j.temporalScore) === ex.temporal) &&
		(j.environmentalScore === null || t(j.environmentalScore) === ex.env);
}
let bad = 0;
if (vecs.length !== kk.length || vecs.length !== or.length) {
	console.log(`line counts differ: ${vecs.length} vectors, ${kk.length} keikai lines, ${or.length} oracle lines`);
	process.exit(1);
}
const byVersion = {};
for (let i = 0; i < vecs.length; i++) {
	const j = JSON.parse(kk[i]);
	const got = j.error ? 'error' : [j.baseScore, j.temporalScore, j.environmentalScore, j.score].map(f).join(' ');
	const ver = j.version || 'error';
	byVersion[ver] = (byVersion[ver] || 0) + 1;
	if (j.vector !== vecs[i]) {
		bad++;
		console.log(`line ${i + 1}: keikai echoed ${JSON.stringify(j.vector)} for ${vecs[i]}`);
	} else if (!j.error && (j.version === '2.0' || j.version === '3.0') && !exactAgrees(vecs[i], j)) {
		bad++;
		console.log(`line ${i + 1}: ${vecs[i]}: keikai ${got} differs from the specification's equations in exact arithmetic`);
	} else if (got !== or[i] && !(got !== 'error' && or[i] !== 'error' && explained(vecs[i], j, got.split(' '), or[i].split(' ')))) {
		bad++;
		console.log(`line ${i + 1}: ${vecs[i]}: keikai ${got}${j.error ? ' (' + j.error + ')' : ''}, oracle ${or[i]}`);
	}
}
console.log(`${vecs.length} vectors (${Object.entries(byVersion).map(([k, v]) => k + ': ' + v).join(', ')}), ${bad} mismatches; excluded as oracle errors (see compare.js): ` +
	`${excluded.v2env} v2 environmental, ${excluded.v2tie} v2 temporal ties, ${excluded.v30roundup} v3.0 Roundup`);
process.exit(bad ? 1 : 0);
