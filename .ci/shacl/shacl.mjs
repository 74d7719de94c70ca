// Usage: node shacl.mjs SPDX-MODEL.ttl SPDX-CONTEXT.jsonld DOC.json...
// Validates SPDX 3.0.1 JSON-LD documents against the SHACL shapes of the SPDX model, offline:
// the JSON-LD context comes from a local file and no other URL is ever fetched.
import { readFileSync } from 'node:fs'
import rdf from '@zazuko/env-node'
import SHACLValidator from 'rdf-validate-shacl'
import jsonld from 'jsonld'
import { Parser } from 'n3'

const [shapesFile, contextFile, ...docs] = process.argv.slice(2)
const CONTEXT = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld'
const context = JSON.parse(readFileSync(contextFile, 'utf8'))

const documentLoader = async (url) => {
  if (url === CONTEXT) return { contextUrl: null, documentUrl: url, document: context }
  throw new Error(`refusing to fetch ${url}: validation runs offline`)
}

function parse (text, format) {
  const ds = rdf.dataset()
  for (const q of new Parser({ format }).parse(text)) ds.add(q)
  return ds
}

const shapes = parse(readFileSync(shapesFile, 'utf8'), 'text/turtle')
// The model declares its classes as owl:Class; SHACL's implicit class targets need them to be
// rdfs:Class too (OWL states owl:Class ⊑ rdfs:Class, which the file does not repeat).
const type = rdf.ns.rdf.type
for (const q of [...shapes.match(null, type, rdf.namedNode('http://www.w3.org/2002/07/owl#Class'))]) {
  shapes.add(rdf.quad(q.subject, type, rdf.namedNode('http://www.w3.org/2000/01/rdf-schema#Class')))
}
let failed = 0
for (const file of docs) {
  const doc = JSON.parse(readFileSync(file, 'utf8'))
  const nquads = await jsonld.toRDF(doc, { format: 'application/n-quads', documentLoader })
  const data = parse(nquads, 'application/n-quads')
  for (const q of shapes) data.add(q) // the ontology's subclass axioms, for sh:class
  const report = await new SHACLValidator(shapes, { factory: rdf }).validate(data)
  if (report.conforms) {
    console.log(`ok   ${file}`)
    continue
  }
  failed++
  console.log(`FAIL ${file}`)
  for (const r of report.results) {
    console.log(`  ${r.focusNode?.value} ${r.path?.value ?? ''}: ${r.message.map(m => m.value).join('; ')}`)
  }
}
console.log(`${docs.length - failed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
