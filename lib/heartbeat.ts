// Dead-peer detection: one timer per ping interval, shared by every socket that uses it, rather
// than a timer and a closure per connection (bench ws-idle). At each beat a socket whose last
// ping has had no pong is given up; the others are pinged. A peer that stops answering is so
// found within two intervals.

/** What the heartbeat asks of a socket: shared functions taking the socket, not closures. */
export interface HeartbeatHooks<Member> {
  /** Sends a ping; returns false if the socket is no longer open. */
  ping (member: Member): boolean
  /** The last ping had no pong by the next beat. */
  lost (member: Member): void
  /**
   * Whether the member is not reading its connection (its consumer lags): a pong would wait
   * unread, so the member is neither pinged nor given up on until it reads again.
   */
  paused (member: Member): boolean
}

class Beat<Member> {
  /** Each member, and whether its last ping still waits for a pong. */
  readonly members = new Map<Member, boolean>()
  readonly #interval: number
  readonly #hooks: HeartbeatHooks<Member>
  readonly #timer: NodeJS.Timeout

  constructor (interval: number, hooks: HeartbeatHooks<Member>) {
    this.#interval = interval
    this.#hooks = hooks
    // Unref'd: a heartbeat alone must not keep the process alive.
    this.#timer = setInterval(() => { this.#beat() }, interval).unref()
  }

  #beat (): void {
    for (const [member, awaitingPong] of this.members) {
      if (this.#hooks.paused(member)) {
        this.members.set(member, false)
        continue
      }
      if (awaitingPong || !this.#hooks.ping(member)) {
        this.members.delete(member)
        if (awaitingPong) this.#hooks.lost(member)
      } else {
        this.members.set(member, true)
      }
    }
    this.stopIfEmpty()
  }

  stopIfEmpty (): void {
    if (this.members.size > 0) return
    clearInterval(this.#timer)
    beats.delete(this.#interval)
  }
}

const beats = new Map<number, Beat<unknown>>()

/** Starts pinging `member` every `interval` milliseconds. */
export function joinHeartbeat<Member> (member: Member, interval: number, hooks: HeartbeatHooks<Member>): void {
  let beat = beats.get(interval)
  if (beat === undefined) beats.set(interval, beat = new Beat(interval, hooks as HeartbeatHooks<unknown>))
  beat.members.set(member, false)
}

/** Stops pinging `member`; a no-op if it is not pinged at `interval`. */
export function leaveHeartbeat (member: unknown, interval: number): void {
  const beat = beats.get(interval)
  if (beat?.members.delete(member) === true) beat.stopIfEmpty()
}

/** `member` answered: its last ping is settled. */
export function pongReceived (member: unknown, interval: number): void {
  const beat = beats.get(interval)
  if (beat?.members.has(member) === true) beat.members.set(member, false)
}

/** The number of heartbeat timers running (one per interval in use). */
export function heartbeatTimers (): number {
  return beats.size
}
