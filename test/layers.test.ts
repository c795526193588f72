import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { layers, layerViolations, relativeSpecifiers, sourceImports } from './harness/layers.ts'

// Issue 10, "Layers": imports point one way, and CI fails on one that does not.

test('every import of src/ points to its own folder or a lower layer', () => {
  const imports = sourceImports()
  assert.ok(imports.length > 500, `only ${imports.length} imports found: is src/ read?`)
  assert.deepStrictEqual(layerViolations(imports), [])
})

test('the layer check names an import that points up, sideways or out of the layers', () => {
  assert.deepStrictEqual(layerViolations([
    { from: 'smpp/receipts/receipt-status.ts', to: 'gateway/status/status-event.ts' },
    { from: 'store/embedded-store.ts', to: 'smpp/session/session.ts' },
    { from: 'config/schema.ts', to: 'stray/helper.ts' },
    { from: 'gateway/pipeline.ts', to: 'domain/status-event.ts' },
    { from: 'gateway/pipeline.ts', to: 'gateway/status/status-sink.ts' },
    { from: 'smpp/session/socket-transport.ts', to: 'errors.ts' }
  ]), [
    'src/smpp/receipts/receipt-status.ts imports src/gateway/status/status-event.ts: gateway is above smpp',
    'src/store/embedded-store.ts imports src/smpp/session/session.ts: smpp is on the same layer as store',
    'src/config/schema.ts imports src/stray/helper.ts: stray is in no layer'
  ])
})

test('the layer check reads static imports and exports, import() and worker URLs, not comments or strings', () => {
  const source = [
    "import type { A } from '../a.ts'",
    "import { b,\n  c } from './b.ts'",
    "export { d } from '../../d.ts'",
    "import './side-effect.ts'",
    "import assert from 'node:assert/strict'",
    "// import { e } from '../comment.ts'",
    "const text = \"from '../string.ts'\"",
    "const { f } = await import('../f.ts')",
    "const worker = new Worker(new URL('./worker.ts', import.meta.url))"
  ].join('\n')
  assert.deepStrictEqual(relativeSpecifiers(source).sort(), ['../../d.ts', '../a.ts', '../f.ts', './b.ts', './side-effect.ts', './worker.ts'])
})

test('README.md states the layers in the order the check uses', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  const line = readme.split('\n').find(text => text.startsWith('`errors.ts` < ')) ?? assert.fail('no layer order line in README.md')
  const stated = line.split(' < ').map(layer => layer.split(', ').map(folder => folder.replaceAll('`', '').replace(/\/$/, '')))
  assert.deepStrictEqual(stated, layers.map(layer => [...layer]))
})
