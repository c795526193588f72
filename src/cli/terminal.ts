import { openSync, closeSync } from 'node:fs'
import { ReadStream, WriteStream } from 'node:tty'

/** Reads all of standard input. */
export async function readStdin (): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Writes bytes to standard output and resolves once they are handed to the OS. */
export async function writeStdout (data: string | Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => process.stdout.write(data, error => error == null ? resolve() : reject(error)))
}

/**
 * Asks a question on the controlling terminal without echoing the answer. Uses /dev/tty,
 * not stdin, because stdin may carry a payload. Resolves to undefined when there is no terminal.
 */
export async function promptHidden (question: string): Promise<string | undefined> {
  let inputFd: number
  let outputFd: number
  try {
    inputFd = openSync('/dev/tty', 'r')
    outputFd = openSync('/dev/tty', 'w')
  } catch {
    return undefined
  }
  const input = new ReadStream(inputFd)
  const output = new WriteStream(outputFd)
  try {
    output.write(question)
    input.setRawMode(true)
    return await readLineRaw(input)
  } finally {
    input.setRawMode(false)
    output.write('\n')
    input.destroy()
    output.destroy()
    try { closeSync(inputFd) } catch {}
  }
}

const ENTER = new Set(['\r', '\n'])
const BACKSPACE = new Set(['\u007f', '\b'])
const INTERRUPT = '\u0003'

async function readLineRaw (input: ReadStream): Promise<string> {
  let answer = ''
  for await (const chunk of input) {
    for (const char of String(chunk)) {
      if (ENTER.has(char)) return answer
      if (char === INTERRUPT) throw new Error('interrupted')
      if (BACKSPACE.has(char)) answer = answer.slice(0, -1)
      else answer += char
    }
  }
  return answer
}
