import { fileURLToPath } from 'node:url'

// CI clones the repo with shared/ beside it, so ../shared from the repo root.
const sharedRoot = new URL('../../../shared/', import.meta.url)

/** The path of a file under shared/, e.g. sharedPath('vectors/zwets/builtin.vault'). */
export function sharedPath (relative: string): string {
  return fileURLToPath(new URL(relative, sharedRoot))
}

export const VECTOR_VAULT_PASSWORD = '123456'
