#!/usr/bin/env node
// compare-langtags.js TAGS KEIKAI_JSON — reads the tags (one per line) and the
// output of `keikai langtag -` on them, parses each tag with the npm package
// bcp47 (an independent RFC 5646 parser: one regular expression written from
// the ABNF), and compares line by line: well-formed or not, the kind (langtag,
// private use, irregular or regular grandfathered), and for normal tags every
// part (language, extlangs, script, region, variants, extensions, private use)
// ignoring case; keikai's canonical form must be the tag up to case. Prints
// every mismatch and a summary; exits 1 if there is any.
'use strict';
const fs = require('fs');
const bcp47 = require('bcp47');
const [tf, kf] = process.argv.slice(2);
const tags = fs.readFileSync(tf, 'utf8').split('\n');
tags.pop(); // the final newline
const kk = fs.readFileSync(kf, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
if (kk.length !== tags.length) {
	console.log(`keikai printed ${kk.length} lines for ${tags.length} tags`);
	process.exit(1);
}
const lc = (s) => (s === null || s === undefined ? null : s.toLowerCase());
const join = (a) => (a.length ? a.join('-') : null);

// bcp47's answer in keikai's terms
function oracle(tag) {
	const r = bcp47.parse(tag);
	if (!r) return null;
	if (r.grandfathered.irregular) return { kind: 'irregular' };
	if (r.grandfathered.regular) return { kind: 'regular' };
	if (r.privateuse.length) return { kind: 'privateuse', privateuse: 'x-' + r.privateuse.join('-') };
	const l = r.langtag;
	return {
		kind: 'langtag',
		language: l.language.language,
		extlang: join(l.language.extlang),
		script: l.script,
		region: l.region,
		variants: join(l.variant),
		extensions: join(l.extension.map((e) => e.singleton + '-' + e.extension.join('-'))),
		privateuse: l.privateuse.length ? 'x-' + l.privateuse.join('-') : null,
	};
}

let bad = 0, wellformed = 0;
const show = (s) => JSON.stringify(s);
for (let i = 0; i < tags.length; i++) {
	const tag = tags[i], k = kk[i], o = oracle(tag);
	const miss = (what, want, got) => {
		if (bad++ < 50) console.log(`line ${i + 1}: ${show(tag)}: ${what}: bcp47 says ${show(want)}, keikai ${show(got)}`);
	};
	if (k.tag !== tag) {
		miss('echoed tag', tag, k.tag);
		continue;
	}
	if (!o !== ('error' in k)) {
		miss('well-formed', !!o, !('error' in k) || k.error);
		continue;
	}
	if (!o) continue;
	wellformed++;
	if (lc(k.canonical) !== lc(tag)) miss('canonical form up to case', tag, k.canonical);
	for (const key of Object.keys(o))
		if (lc(o[key]) !== lc(k[key])) miss(key, o[key], k[key]);
}
console.log(`compare-langtags: ${tags.length} tags, ${wellformed} well-formed, ${bad} mismatches`);
process.exit(bad ? 1 : 0);
