import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GatewayProcess } from '../harness/gateway-process.ts'

// What the tests of deploy/ share: readers of a systemd unit and a Containerfile as their tools
// read them, and the command line they run, started from this checkout.

export const REPO = fileURLToPath(new URL('../../', import.meta.url))

/** A file of deploy/, e.g. deployPath('systemd/smsgw.service'). */
export function deployPath (relative: string): string {
  return join(REPO, 'deploy', relative)
}

/** The settings of a systemd unit file, `[section] key` → values in order (a key may repeat). */
export function readUnitFile (file: string): Map<string, string[]> {
  const settings = new Map<string, string[]>()
  let section = ''
  let pending = ''
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = pending + raw.trim()
    pending = ''
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    if (line.endsWith('\\')) {
      pending = `${line.slice(0, -1)} `
      continue
    }
    const header = line.match(/^\[(.+)\]$/)
    if (header !== null) {
      section = header[1] as string
      continue
    }
    const equals = line.indexOf('=')
    assert.ok(equals > 0, `${file}: not a setting: ${line}`)
    const key = `[${section}] ${line.slice(0, equals).trim()}`
    settings.set(key, [...(settings.get(key) ?? []), line.slice(equals + 1).trim()])
  }
  return settings
}

/** The one value of `key` (`[Service] ExecStart`); fails when it is absent or repeated. */
export function unitValue (unit: Map<string, string[]>, key: string): string {
  const values = unit.get(key) ?? []
  assert.equal(values.length, 1, `${key} is set once`)
  return values[0] as string
}

export interface ContainerInstruction {
  readonly instruction: string
  readonly args: string
}

/** The instructions of a Containerfile, continuation lines joined, comments left out. */
export function readContainerfile (file: string): ContainerInstruction[] {
  const instructions: ContainerInstruction[] = []
  let pending = ''
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const trimmed = raw.trim()
    if (trimmed.startsWith('#') || (trimmed === '' && pending === '')) continue
    const line = pending + trimmed
    if (line.endsWith('\\')) {
      pending = `${line.slice(0, -1)} `
      continue
    }
    pending = ''
    const [instruction = '', ...rest] = line.split(/\s+/)
    instructions.push({ instruction: instruction.toUpperCase(), args: rest.join(' ') })
  }
  return instructions
}

/**
 * Starts a deployment's command line (`/opt/smsgw/bin/smsgw run …`) from this checkout: the
 * executable must be bin/smsgw of the installation folder `installedAt`.
 */
export function startCommandLine (argv: readonly string[], installedAt: string, env: Record<string, string>): GatewayProcess {
  const [executable, command, ...args] = argv
  assert.equal(executable, `${installedAt}/bin/smsgw`, 'the command runs bin/smsgw of the installation')
  assert.ok(command !== undefined)
  return new GatewayProcess(env, args, command)
}

/**
 * Resolves with the URL of the HTTP API from the lines `smsgw run` prints when it is ready;
 * rejects with its output when it exits first or prints none within `timeoutMs`.
 */
export async function welcomeUrl (child: GatewayProcess, timeoutMs = 30_000): Promise<string> {
  return (await child.waitForOutput(/^ {2}dashboard +(http:\/\/\S+)\/dashboard$/m, timeoutMs))[1] as string
}
