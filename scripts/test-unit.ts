// `npm run test:unit [-- <node --test options>]`: runs the unit tests alone, the test files that
// need no Kafka broker, PostgreSQL server, JDK, browser or child smsgw (test/harness/test-kinds.ts
// says how they are told apart). `npm test` still runs every test file.
import { spawn } from 'node:child_process'
import { shareCompileCache } from '../test/harness/compile-cache.ts'
import { repoRoot, unitTestFiles } from '../test/harness/test-kinds.ts'

// Two files at a time (node's default here is one: the cores less one): many unit tests wait on
// sockets, timers or worker threads, and two halve the run on two cores (docs/testing.md). An
// option given after `--` comes later and wins.
shareCompileCache()
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...process.argv.slice(2), ...unitTestFiles()], { cwd: repoRoot, stdio: 'inherit' })
child.on('exit', (code, signal) => { process.exit(code ?? (signal === null ? 1 : 128)) })
