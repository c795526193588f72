#!/usr/bin/env node
// The composition root of the smsgw CLI: the process's environment, stdin/stdout/stderr,
// terminal and signals, then exit with the code.
import { runProgram } from './program.ts'
import { promptHidden, readStdin, writeStdout } from './terminal.ts'

process.exitCode = await runProgram(process.argv.slice(2), {
  env: process.env,
  readStdin,
  writeStdout,
  writeStderr: text => process.stderr.write(text),
  promptHidden,
  signals: process,
  exit: code => process.exit(code)
})
