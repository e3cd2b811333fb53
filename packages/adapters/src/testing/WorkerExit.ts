/**
 * A vitest setup file (see vitest.config.ts): a forked test worker exits once its parent, the main vitest process,
 * is gone. A SIGINT that reaches only the main process (Ctrl-C under a wrapper, `kill -INT <pid>`) ends it without
 * tearing the pool down, and its workers would otherwise keep running, orphaned, until their tests end. The IPC
 * channel's `disconnect` did not reach the worker and vitest intercepts `process.exit` in workers, so the parent pid
 * is polled (unref'd: it never holds a worker open) and the worker signals itself.
 */
const installed = Symbol.for("berth.test.workerExit")
const holder = globalThis as { [installed]?: true }

if (holder[installed] === undefined) {
  holder[installed] = true
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGTERM")
  }, 500).unref()
}
