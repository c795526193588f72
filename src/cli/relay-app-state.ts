import type { Command } from 'commander'
import { readFile } from 'node:fs/promises'
import { SmsgwError, errorCodes } from '../errors.ts'
import type { AppState, Endpoints } from '../relay/client/app-state.ts'
import type { RelayClient } from '../relay/client/relay-grpc-client.ts'
import type { ProgramIo } from './program-io.ts'

// What every `smsgw relay app` command shares: the state file and its password, the vault and
// publisher endpoints (given once, kept in the state), and the passwords read from a file or typed.

export const DEFAULT_STATE_FILE = 'smsgw-relay-app.state'

export interface StateOptions {
  state: string
  statePasswordFile?: string
}

export interface EndpointOptions {
  vault?: string
  publisher?: string
  tls?: boolean
  caFile?: string
}

/** The state file's password: --state-password-file, else typed at the terminal. */
export async function statePasswordOf (options: StateOptions, io: ProgramIo): Promise<string> {
  return await secretOf(options.statePasswordFile, 'State file password: ', '--state-password-file', io)
}

/** A secret from the first line of `file`, else typed without echo; refused when there is neither. */
export async function secretOf (file: string | undefined, question: string, option: string, io: ProgramIo): Promise<string> {
  if (file !== undefined) {
    const text = await readFile(file, 'utf8').catch((cause: unknown) => {
      throw new SmsgwError(errorCodes.relayAppState, `cannot read ${option} ${file}: ${(cause as Error).message}`, { cause })
    })
    const line = text.split(/\r?\n/, 1)[0] ?? ''
    if (line === '') throw new SmsgwError(errorCodes.usage, `${option} ${file} is empty`)
    return line
  }
  const typed = await io.promptHidden(question)
  if (typed === undefined || typed === '') throw new SmsgwError(errorCodes.usage, `no terminal to ask on: give ${option} FILE`)
  return typed
}

/** The state file opened with its password; `save` writes a changed state back under the same password. */
export interface OpenedState {
  readonly state: AppState
  save: (state: AppState) => Promise<void>
}

/** Runs `work` on the state file, opened with its password and held by this run alone. */
export async function withStateFile<T> (options: StateOptions, io: ProgramIo, work: (opened: OpenedState) => Promise<T>): Promise<T> {
  const password = await statePasswordOf(options, io)
  const { readAppState, withStateLock, writeAppState } = await import('../relay/client/state-file.ts')
  return await withStateLock(options.state, async () => {
    const state = await readAppState(options.state, password)
    return await work({ state, save: async changed => { await writeAppState(options.state, changed, password) } })
  })
}

/** The endpoints of the state with those given on the command line put over them. */
export function endpointsOf (kept: Endpoints | undefined, options: EndpointOptions): Endpoints {
  return {
    vault: options.vault ?? kept?.vault,
    publisher: options.publisher ?? kept?.publisher,
    tls: options.tls === true || options.caFile !== undefined ? true : kept?.tls ?? false,
    caFile: options.caFile ?? kept?.caFile
  }
}

/** Runs `work` with a client of the vault's Entity service or the Publisher, closing it after. */
export async function withRelayClient<T> (service: 'Entity' | 'Publisher', endpoints: Endpoints, work: (client: RelayClient) => Promise<T>): Promise<T> {
  const address = service === 'Entity' ? endpoints.vault : endpoints.publisher
  const option = service === 'Entity' ? '--vault' : '--publisher'
  if (address === undefined) throw new SmsgwError(errorCodes.usage, `no ${service === 'Entity' ? 'vault' : 'publisher'} address: give ${option} HOST:PORT (it is kept in the state file)`)
  // Loaded here, not at the top: gRPC and the protobuf loader are about 10 MiB of RSS that every
  // smsgw process, the gateway too, would carry. So are the other relay client modules.
  const { openRelayClient } = await import('../relay/client/relay-grpc-client.ts')
  const client = await openRelayClient(service, { address, tls: endpoints.tls, caFile: endpoints.caFile })
  try {
    return await work(client)
  } finally {
    client.close()
  }
}

/** One result line on stdout. */
export async function printJson (io: ProgramIo, value: Record<string, unknown>): Promise<void> {
  await io.writeStdout(`${JSON.stringify(value)}\n`)
}

/** The state file options of every subcommand. */
export function withState (command: Command): Command {
  return command
    .option('--state <file>', 'the state file (keys, token, ratchet), sealed with a password', DEFAULT_STATE_FILE)
    .option('--state-password-file <file>', 'the state file\'s password, on the file\'s first line (else typed at the terminal)')
}

/** The endpoint options; given once, they are kept in the state file. */
export function withEndpoints (command: Command): Command {
  return command
    .option('--vault <host:port>', 'the vault\'s gRPC address (vault.v1.Entity)')
    .option('--publisher <host:port>', 'the publisher\'s gRPC address (publisher.v1.Publisher)')
    .option('--tls', 'use TLS to the vault and publisher (the server certificate checked against the system roots or --ca-file)')
    .option('--ca-file <pem>', 'PEM certificates to trust instead of the system roots (implies --tls)')
}
