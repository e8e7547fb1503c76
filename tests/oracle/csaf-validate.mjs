// csaf-validate.mjs FILE... — the BSI/secvisogram CSAF validator
// (@secvisogram/csaf-validator-lib, an independent implementation) as a test
// oracle: the CSAF 2.0 strict JSON schema test and every mandatory test
// (6.1.x). Prints each failing test with its messages; exits 1 on any.
import { readFileSync } from 'node:fs'
import validate from '@secvisogram/csaf-validator-lib/validate.js'
import * as schemaTests from '@secvisogram/csaf-validator-lib/schemaTests.js'
import * as mandatoryTests from '@secvisogram/csaf-validator-lib/mandatoryTests.js'

const tests = [...Object.values(schemaTests), ...Object.values(mandatoryTests)]
let bad = 0
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(readFileSync(file, 'utf8'))
  const res = await validate(tests, doc)
  for (const t of res.tests) {
    if (t.isValid && t.errors.length === 0) continue
    bad++
    for (const e of t.errors) console.log(`${file}: ${t.name}: ${e.instancePath} ${e.message}`)
    if (!t.errors.length) console.log(`${file}: ${t.name}: invalid`)
  }
  if (res.isValid) console.log(`${file}: valid (${res.tests.length} tests: schema + mandatory)`)
}
process.exit(bad ? 1 : 0)
