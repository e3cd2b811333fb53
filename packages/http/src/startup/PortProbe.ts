/**
 * `PORT` tried before the slow start-up steps (PGlite's first start takes seconds): a port already in use fails at
 * once with its one line instead of after the database is up. The real listen still maps the same failure later,
 * should the port be taken in between.
 */
import { Effect } from "effect"
import * as net from "node:net"
import type { ListenFailed } from "./StartupProblem.js"
import { listenFailed } from "./StartupProblem.js"

/** Binds `port` as the server will (all interfaces) and releases it; fails with the `PORT` problem. */
export const probe = (port: number): Effect.Effect<void, ListenFailed> =>
  Effect.async<void, ListenFailed>((resume) => {
    const server = net.createServer()
    server.once("error", (cause) => resume(Effect.fail(listenFailed(port, { cause }))))
    server.listen(port, () => server.close(() => resume(Effect.void)))
    return Effect.sync(() => server.close())
  }).pipe(Effect.timeoutFail({
    duration: "5 seconds",
    onTimeout: () => listenFailed(port, { cause: new Error("no answer within 5 s") })
  }))
