import { parseFault, type ActiveFaults } from './faults.ts'
import type { RecordedPost, RecordedPosts } from './recorded-posts.ts'
import { escapeHtml, html, json, type PlainRoute, type SimRequest } from './sim-http.ts'

// The simulator's own endpoints, for tests, the demo and the bench: what was posted (JSON and a
// page), and the faults switched at run time.

export function controlRoutes (posts: RecordedPosts, faults: ActiveFaults, platforms: readonly string[]): PlainRoute[] {
  return [
    { method: 'GET', path: '/', handle: () => html(200, postsPage(posts.list(), posts.total)) },
    { method: 'GET', path: '/_sim/posts', handle: () => json(200, { total: posts.total, posts: posts.list() }) },
    { method: 'DELETE', path: '/_sim/posts', handle: () => { posts.clear(); return { status: 204 } } },
    { method: 'GET', path: '/_sim/faults', handle: () => json(200, { faults: faults.list() }) },
    { method: 'POST', path: '/_sim/faults', handle: (request: SimRequest) => setFault(request, faults, platforms) },
    { method: 'DELETE', path: '/_sim/faults', handle: () => { faults.clear(); return { status: 204 } } }
  ]
}

function setFault (request: SimRequest, faults: ActiveFaults, platforms: readonly string[]): ReturnType<PlainRoute['handle']> {
  let body: unknown
  try {
    body = JSON.parse(request.body.toString('utf8'))
  } catch {
    return json(400, { error: 'the body must be JSON' })
  }
  const fault = parseFault(body, platforms)
  if ('problem' in fault) return json(400, { error: fault.problem })
  faults.set(fault)
  return json(201, fault)
}

/** The demo's view: the latest posts first, replies marked, refreshed every two seconds. */
function postsPage (posts: readonly RecordedPost[], total: number): string {
  const rows = posts.toReversed().map(post => `      <tr><td>${escapeHtml(post.at)}</td><td>${escapeHtml(post.platform)}</td><td>${escapeHtml(post.account)}</td><td>${escapeHtml(post.id)}</td><td>${post.inReplyTo === undefined ? '' : `↳ ${escapeHtml(post.inReplyTo)}`}</td><td>${escapeHtml(post.text)}</td></tr>`)
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Platform simulator: posts</title>
  <style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:left}td:last-child{white-space:pre-wrap}</style></head>
  <body>
    <h1>Platform simulator: posts</h1>
    <p>${total} posted, the latest ${posts.length} kept. JSON: <a href="/_sim/posts">/_sim/posts</a>.</p>
    <table>
      <tr><th>at</th><th>platform</th><th>account</th><th>id</th><th>reply to</th><th>text</th></tr>
${rows.join('\n')}
    </table>
  </body>
</html>
`
}
