import type { CpConfig } from "@berth/adapters"
import { CpProvisioner } from "@berth/adapters"
import { CpServer } from "@berth/adapters/testing"
import { MachineConsole, Provisioner } from "@berth/core"
import { NodeHttpClient } from "@effect/platform-node"
import type { Scope } from "effect"
import { Context, Effect, Layer, Logger, Redacted } from "effect"

export const workspaceId = "3f2b8c1e-0d4a-4e6b-9a51-7c2d9e8f1a00"

/** Credentials the tests expect on the wire; each is distinct so a header carrying the wrong one shows. */
export const credentials = {
  sharedSecret: "shared-s3cret",
  adminApiToken: "admin-api-t0ken",
  adminToken: "tenant-admin-t0ken"
}

export const optionsFor = (url: string, overrides: Partial<CpConfig.CpOptions> = {}): CpConfig.CpOptions => ({
  baseUrl: url,
  orgId: "org-42",
  sharedSecret: Redacted.make(credentials.sharedSecret),
  adminApiToken: Redacted.make(credentials.adminApiToken),
  adminToken: Redacted.make(credentials.adminToken),
  ...overrides
})

/** A fresh loopback CP and the CP provisioner pointed at it over Node's HTTP client (the production client). */
export const cpAndProvisioner = (
  overrides: Partial<CpConfig.CpOptions> = {}
): Effect.Effect<{ readonly cp: CpServer.CpServer; readonly provisioner: CpProvisioner.CpBackend }, never, Scope.Scope> =>
  Effect.gen(function* () {
    const cp = yield* CpServer.make
    // Built into the caller's scope, so the client's connection agent lives as long as the test.
    const context = yield* Layer.build(
      CpProvisioner.layer(optionsFor(cp.url, overrides)).pipe(Layer.provide(NodeHttpClient.layer))
    )
    return { cp, provisioner: { ...Context.get(context, Provisioner), ...Context.get(context, MachineConsole) } }
  })

/** Runs `body` with every log message collected into `lines` (logs are otherwise silent under `it.effect`). */
export const withLogLines = <A, E, R>(body: (lines: ReadonlyArray<string>) => Effect.Effect<A, E, R>) => {
  const lines: Array<string> = []
  const collector = Logger.make(({ message }) => {
    lines.push(Array.isArray(message) ? message.map(String).join(" ") : String(message))
  })
  return Effect.provide(body(lines), Logger.replace(Logger.defaultLogger, collector))
}
