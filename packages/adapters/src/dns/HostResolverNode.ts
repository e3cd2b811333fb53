/**
 * HostResolver backed by the OS resolver (node:dns/promises lookup, all addresses).
 */
import { AgentUrl } from "@berth/core"
import { Effect, Layer } from "effect"
import { lookup } from "node:dns/promises"

/** Resolve with getaddrinfo so /etc/hosts is honoured like the Go server's net.LookupIP. */
export const resolve = (host: string) =>
  Effect.tryPromise({
    try: () => lookup(host, { all: true, verbatim: true }),
    catch: (e) => new AgentUrl.ResolveFailed({ host, reason: e instanceof Error ? e.message : String(e) })
  }).pipe(Effect.map((rows) => rows.map((r) => r.address)))

/** Layer providing the HostResolver port. */
export const layer = Layer.succeed(AgentUrl.HostResolver, { resolve })
