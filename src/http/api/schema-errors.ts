// TypeBox reports schema violations as AJV does: {keyword, instancePath, params, message}, with
// instancePath a JSON pointer (`/3/deadline`). These become sentences that name the field in
// the request's own words: `deadline is missing`, `[3].client-id must be a string or a number`.

export interface SchemaError {
  readonly keyword: string
  readonly instancePath: string
  readonly params: Record<string, unknown>
  readonly message?: string
}

const typeNames: Record<string, string> = {
  // The body parser already took numbers as their text (json-body.ts): what fails is something else.
  string: 'a string or a number',
  object: 'a JSON object',
  array: 'a JSON array',
  integer: 'an integer',
  boolean: 'true or false'
}

/** One sentence per problem, in the order found, without repeats. `part` names the whole value ('body', 'params'). */
export function describeSchemaErrors (errors: Iterable<SchemaError>, part: string): string[] {
  const problems = new Set<string>()
  for (const error of errors) {
    const at = fieldPath(error.instancePath)
    const subject = at === '' ? part : at
    const limit = error.params.limit
    switch (error.keyword) {
      case 'required':
        for (const name of error.params.requiredProperties as string[] ?? []) problems.add(`${joinPath(at, name)} is missing`)
        break
      case 'type':
        problems.add(`${subject} must be ${typeNames[String(error.params.type)] ?? `of type ${String(error.params.type)}`}`)
        break
      case 'minLength':
        problems.add(limit === 1 ? `${subject} is empty` : `${subject} is shorter than ${String(limit)} characters`)
        break
      case 'maxLength':
        problems.add(`${subject} is longer than ${String(limit)} characters`)
        break
      case 'minItems':
        problems.add(`${subject} has fewer than ${String(limit)} items`)
        break
      case 'maxItems':
        problems.add(`${subject} has more than ${String(limit)} items`)
        break
      default:
        problems.add(`${subject} ${error.message ?? `fails ${error.keyword}`}`)
    }
  }
  return [...problems]
}

/** `/3/client-id` → `[3].client-id`; `/deadline` → `deadline`; `` → ``. */
function fieldPath (pointer: string): string {
  if (pointer === '') return ''
  return pointer.slice(1).split('/').map(token => token.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, token) => joinPath(path, token), '')
}

function joinPath (path: string, token: string): string {
  if (/^\d+$/.test(token)) return `${path}[${token}]`
  return path === '' ? token : `${path}.${token}`
}
