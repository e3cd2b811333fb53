/**
 * `last_used_at` of a token is rewritten only when older than this (§3.2 calls the stamp best effort), by every
 * statement that accepts a token (validation, heartbeat), so the hot paths mostly read. Far below the orphan
 * sweeper's 5-minute grace (§7.3), so a token in use never looks stale to it.
 */
export const STAMP_AFTER_SECONDS = 60
