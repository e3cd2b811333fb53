/**
 * A loopback TCP proxy for reliability tests: put in front of Postgres for ONE connection kind (e.g. the event bus's
 * LISTEN connection), it can hold new connections (accepted, not forwarded, as a slow network would) until released,
 * and cut the forwarded ones, as a network fault would.
 */
import type { Scope } from "effect"
import { Deferred, Effect, Exit } from "effect"
import * as Net from "node:net"
import type { AddressInfo } from "node:net"

export interface TcpProxy {
  /** `url` with its host and port replaced by the proxy's. */
  readonly via: (url: string) => string
  /** From now on new connections wait until `release`. */
  readonly hold: Effect.Effect<void>
  /** Forwards the waiting connections and lets new ones through. */
  readonly release: Effect.Effect<void>
  /** Completes once a connection waits (after `hold`). */
  readonly waiting: Effect.Effect<void>
  /** Destroys every open connection, both sides. */
  readonly cut: Effect.Effect<void>
}

/** A proxy to the server of `targetUrl` (a `postgres://` URL), closed with the scope. */
export const make = (targetUrl: string): Effect.Effect<TcpProxy, never, Scope.Scope> =>
  Effect.gen(function* () {
    const target = new URL(targetUrl)
    const sockets = new Set<Net.Socket>()
    const track = (socket: Net.Socket) => {
      sockets.add(socket)
      socket.on("error", () => socket.destroy())
      socket.on("close", () => sockets.delete(socket))
    }
    let held: Array<() => void> | undefined
    let arrived = yield* Deferred.make<void>()
    const forward = (client: Net.Socket) => () => {
      if (client.destroyed) return
      const upstream = Net.connect({ host: target.hostname, port: Number(target.port || 5432) })
      track(upstream)
      client.on("close", () => upstream.destroy())
      upstream.on("close", () => client.destroy())
      client.pipe(upstream)
      upstream.pipe(client)
    }
    const server = Net.createServer((client) => {
      track(client)
      // Nothing is read from a held client: its bytes wait in the socket until it is forwarded.
      if (held === undefined) return forward(client)()
      held.push(forward(client))
      Deferred.unsafeDone(arrived, Exit.void)
    })
    const port = yield* Effect.acquireRelease(
      Effect.async<number>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
      }),
      () => Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
    )
    return {
      via: (url) => {
        const proxied = new URL(url)
        proxied.hostname = "127.0.0.1"
        proxied.port = String(port)
        return proxied.toString()
      },
      hold: Effect.flatMap(Deferred.make<void>(), (fresh) => Effect.sync(() => {
        held ??= []
        arrived = fresh
      })),
      release: Effect.sync(() => {
        const waiting = held ?? []
        held = undefined
        for (const go of waiting) go()
      }),
      waiting: Effect.suspend(() => Deferred.await(arrived)),
      cut: Effect.sync(() => {
        for (const socket of sockets) socket.destroy()
      })
    }
  })
