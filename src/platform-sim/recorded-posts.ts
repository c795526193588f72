/** A post a simulated platform accepted, as tests, the demo page and the bench read it. */
export interface RecordedPost {
  /** The platform's id of the post (a status id, a tweet id), unique in one simulator run. */
  readonly id: string
  readonly platform: string
  /** The account that posted: the name chosen on the consent page. */
  readonly account: string
  readonly text: string
  /** The id of the post this one replies to (a thread's earlier part). */
  readonly inReplyTo?: string
  /** ISO 8601, when the simulator accepted it. */
  readonly at: string
}

/** Ours: a long demo or bench run keeps the latest posts only. */
export const DEFAULT_MAX_RECORDED_POSTS = 10_000

/** The latest posts, oldest first, in a ring of fixed size: memory stays flat however much is posted. */
export class RecordedPosts {
  readonly #ring: Array<RecordedPost | undefined>
  #next = 0
  #size = 0
  #total = 0

  constructor (capacity = DEFAULT_MAX_RECORDED_POSTS) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, not ${capacity}`)
    this.#ring = new Array<RecordedPost | undefined>(capacity)
  }

  record (post: RecordedPost): void {
    this.#ring[this.#next] = post
    this.#next = (this.#next + 1) % this.#ring.length
    this.#size = Math.min(this.#size + 1, this.#ring.length)
    this.#total += 1
  }

  /** The posts kept, oldest first. */
  list (): RecordedPost[] {
    const start = (this.#next - this.#size + this.#ring.length) % this.#ring.length
    const posts: RecordedPost[] = []
    for (let index = 0; index < this.#size; index += 1) posts.push(this.#ring[(start + index) % this.#ring.length] as RecordedPost)
    return posts
  }

  /** How many posts were recorded since the start or the last clear, kept or not. */
  get total (): number {
    return this.#total
  }

  clear (): void {
    this.#ring.fill(undefined)
    this.#next = 0
    this.#size = 0
    this.#total = 0
  }
}
