/** What the heartbeat asks of a socket: shared functions taking the socket, not closures. */
export interface HeartbeatHooks<Member> {
    /** Sends a ping; returns false if the socket is no longer open. */
    ping(member: Member): boolean;
    /** The last ping had no pong by the next beat. */
    lost(member: Member): void;
    /**
     * Whether the member is not reading its connection (its consumer lags): a pong would wait
     * unread, so the member is neither pinged nor given up on until it reads again.
     */
    paused(member: Member): boolean;
}
/** Starts pinging `member` every `interval` milliseconds. */
export declare function joinHeartbeat<Member>(member: Member, interval: number, hooks: HeartbeatHooks<Member>): void;
/** Stops pinging `member`; a no-op if it is not pinged at `interval`. */
export declare function leaveHeartbeat(member: unknown, interval: number): void;
/** `member` answered: its last ping is settled. */
export declare function pongReceived(member: unknown, interval: number): void;
/** The number of heartbeat timers running (one per interval in use). */
export declare function heartbeatTimers(): number;
