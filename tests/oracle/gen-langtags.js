#!/usr/bin/env node
// gen-langtags.js N SEED — prints N language tags, one per line, about half of
// them well-formed per RFC 5646: tags built from the ABNF's parts (every
// language form, extlangs, script, region, variants, extensions, private use,
// grandfathered tags) in random case, the same mutated (a character replaced,
// dropped or inserted, a subtag cut, doubled or moved), and random runs of
// subtags of every length. Deterministic for a given SEED; written from the
// RFC, not from keikai's sources. No line holds '\n' or '\r'.
'use strict';
const N = parseInt(process.argv[2] || '10000', 10);
const { rnd, pick, int } = require('./rng')(parseInt(process.argv[3] || '1', 10));
const LOWER = 'abcdefghijklmnopqrstuvwxyz', DIGIT = '0123456789';
const chars = (set, n) => Array.from({ length: n }, () => pick(set)).join('');
const alpha = (n) => chars(LOWER, n);
const alnum = (n) => chars(LOWER + DIGIT, n);
// random case, the way sources write tags ("EN-us", "ja-jp", "zh-hant")
const mixcase = (s) => (rnd() < 0.5 ? s : Array.from(s, (c) => (rnd() < 0.5 ? c.toUpperCase() : c)).join(''));

const GRANDFATHERED = ['en-GB-oed', 'i-ami', 'i-bnn', 'i-default', 'i-enochian', 'i-hak', 'i-klingon', 'i-lux',
	'i-mingo', 'i-navajo', 'i-pwn', 'i-tao', 'i-tay', 'i-tsu', 'sgn-BE-FR', 'sgn-BE-NL', 'sgn-CH-DE',
	'art-lojban', 'cel-gaulish', 'no-bok', 'no-nyn', 'zh-guoyu', 'zh-hakka', 'zh-min', 'zh-min-nan', 'zh-xiang'];
const SEEN = ['en', 'ja', 'en-US', 'ja-JP', 'en-us', 'de', 'es', 'eo', 'eng', 'jpn', 'fr-ZZ', 'en-AA', 'en-Qabc'];

function privateuse() {
	const p = ['x'];
	for (let i = int(1, 3); i > 0; i--) p.push(alnum(int(1, 8)));
	return p.join('-');
}

function langtag() {
	const p = [];
	const form = rnd();
	if (form < 0.7) {
		p.push(alpha(int(2, 3)));
		if (rnd() < 0.2) for (let i = int(1, 3); i > 0; i--) p.push(alpha(3));
	} else if (form < 0.8) {
		p.push(alpha(4));
	} else {
		p.push(alpha(int(5, 8)));
	}
	if (rnd() < 0.3) p.push(alpha(4));
	if (rnd() < 0.5) p.push(rnd() < 0.8 ? alpha(2) : chars(DIGIT, 3));
	if (rnd() < 0.25) for (let i = int(1, 3); i > 0; i--) p.push(rnd() < 0.7 ? alnum(int(5, 8)) : pick(DIGIT) + alnum(3));
	if (rnd() < 0.25) {
		for (let i = int(1, 3); i > 0; i--) {
			p.push(pick((LOWER + DIGIT).replace('x', '')));
			for (let k = int(1, 3); k > 0; k--) p.push(alnum(int(2, 8)));
		}
	}
	if (rnd() < 0.15) p.push(privateuse());
	return p.join('-');
}

function wellformed() {
	const r = rnd();
	if (r < 0.06) return pick(GRANDFATHERED);
	if (r < 0.1) return privateuse();
	if (r < 0.15) return pick(SEEN);
	return langtag();
}

// bytes sources get wrong: separators, spaces, punctuation, non-ASCII letters
// (including the two whose case folding reaches ASCII: U+017F, U+212A)
const ODD = ['_', ' ', '.', '--', '-', 'x', 'X', '0', 'é', 'ſ', 'K', '日', '\t', '"', '@'];

function mutate(s) {
	const subs = s.split('-');
	switch (int(0, 7)) {
	case 0: { const i = int(0, s.length); return s.slice(0, i) + pick(ODD) + s.slice(i); }
	case 1: { const i = int(0, s.length - 1); return s.slice(0, i) + pick(ODD) + s.slice(i + 1); }
	case 2: { const i = int(0, s.length - 1); return s.slice(0, i) + s.slice(i + 1); }
	case 3: return subs.slice(0, int(1, subs.length)).join('-') + (rnd() < 0.3 ? '-' : '');
	case 4: { const i = int(0, subs.length - 1); subs.splice(i, 0, subs[i]); return subs.join('-'); }
	case 5: { const i = int(0, subs.length - 1), j = int(0, subs.length - 1); [subs[i], subs[j]] = [subs[j], subs[i]]; return subs.join('-'); }
	case 6: return s + '-' + pick([alpha(int(1, 9)), alnum(int(1, 9)), chars(DIGIT, int(1, 4)), 'x', 'u']);
	default: return pick(['', '-' + s, s.replace(/-/g, '_'), s + 'abcdefghi']);
	}
}

// subtags of random lengths and classes: the ABNF's length boundaries
function random() {
	const p = [];
	for (let i = int(1, 6); i > 0; i--) {
		const n = int(1, 9);
		p.push(pick([alpha, alnum, (k) => chars(DIGIT, k)])(n));
	}
	return p.join('-');
}

const out = [];
for (let i = 0; i < N; i++) {
	const r = rnd();
	let t;
	if (r < 0.3) t = wellformed();
	else if (r < 0.8) t = mutate(wellformed());
	else t = random();
	out.push(mixcase(t));
}
process.stdout.write(out.join('\n') + '\n');
