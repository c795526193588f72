#!/usr/bin/env node
// The composition root of the smsgw CLI: real stdin/stdout/stderr, then exit with the code.
import { runProgram } from './program.ts'
import { readStdin, writeStdout } from './terminal.ts'

process.exitCode = await runProgram(process.argv.slice(2), {
  readStdin,
  writeStdout,
  warn: line => process.stderr.write(`smsgw: ${line}\n`)
})
