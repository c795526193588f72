import { Command, CommanderError } from 'commander'
import { errorCodes, isSmsgwError } from '../errors.ts'
import { addApiKeyCommand } from './api-key-command.ts'
import { addGatewayCommand } from './gateway-command.ts'
import { addKafkaClientCommands } from './kafka-client-commands.ts'
import { addPayloadCommands } from './payload-commands.ts'
import { addRunCommand } from './run-command.ts'
import { addPlatformSimCommand } from './platform-sim-command.ts'
import { warn, type ProgramIo } from './program-io.ts'
import { addRelayCommand } from './relay-command.ts'
import { addSmscSimCommand } from './smsc-sim-command.ts'
import { addUnknownOutcomesCommand } from './unknown-outcomes-command.ts'
import { addVaultCommands } from './vault-commands.ts'

export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const

/** Builds the `smsgw` command tree. Commands throw; `runProgram` turns errors into exit codes. */
export function buildProgram (io: ProgramIo): Command {
  const program = new Command('smsgw')
    .description('privacy-first SMS gateway: sealed requests in, SMPP out, statuses back')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      // Help goes to stdout. Commander writes synchronously, so the write is handed over, not
      // awaited: it is queued before runProgram returns.
      writeOut: text => { void io.writeStdout(text) },
      writeErr: text => { io.writeStderr(text.startsWith('error: ') ? `smsgw: ${text.slice(7)}` : text) }
    })
  addVaultCommands(program, io)
  addPayloadCommands(program, io)
  addGatewayCommand(program, io)
  addRunCommand(program, io)
  addKafkaClientCommands(program, io)
  addSmscSimCommand(program, io)
  addPlatformSimCommand(program, io)
  addApiKeyCommand(program, io)
  addUnknownOutcomesCommand(program, io)
  addRelayCommand(program, io)
  return program
}

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code. */
export async function runProgram (argv: readonly string[], io: ProgramIo): Promise<number> {
  const program = buildProgram(io)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCodes.ok
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage
    }
    warn(io, describe(error))
    return isSmsgwError(error, errorCodes.usage) ? exitCodes.usage : exitCodes.failure
  }
}

function describe (error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
