import type { PageWindow } from '../../store/gateway-clients.ts'

// The pagination of GET /v3/clients and GET /v3/clients/<msisdn>/tests (relay-wire.md §5.1):
// `page` and `per_page` as Python integers (any size), the X-Total-Count, X-Page, X-Per-Page
// headers, and upstream's Link header.

export interface Page {
  readonly page: bigint
  readonly perPage: bigint
}

/** The store's window of a page; far pages are clamped past any table, where they are empty, as in upstream. */
export function windowOf ({ page, perPage }: Page): PageWindow {
  const clamp = (value: bigint): number => Number(value > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : value)
  return { offset: clamp((page - 1n) * perPage), limit: clamp(perPage) }
}

/**
 * Upstream's Link header: `first` and `prev` when past page 1, `self`, then `last` and `next`
 * before the last page; each `<base?page=N&per_page=M>` with no other parameter of the request.
 * `baseUrl` is the request's scheme, host and path.
 */
export function linkHeader (baseUrl: string, { page, perPage }: Page, total: number): string {
  const totalRecords = BigInt(total)
  // Python's max(1, (total - 1) // per_page + 1); with total 0 both give 1.
  const computed = (totalRecords - 1n) / perPage + 1n
  const lastPage = computed > 1n ? computed : 1n
  const link = (target: bigint, rel: string): string => `<${baseUrl}?page=${target}&per_page=${perPage}>; rel="${rel}"`
  const links: string[] = []
  if (page > 1n) links.push(link(1n, 'first'), link(page - 1n, 'prev'))
  links.push(link(page, 'self'))
  if (page < lastPage) links.push(link(lastPage, 'last'), link(page + 1n, 'next'))
  return links.join(', ')
}

/** The pagination headers of a page of `total` records. */
export function paginationHeaders (baseUrl: string, page: Page, total: number): Record<string, string> {
  return {
    'X-Total-Count': String(total),
    'X-Page': String(page.page),
    'X-Per-Page': String(page.perPage),
    Link: linkHeader(baseUrl, page, total)
  }
}
