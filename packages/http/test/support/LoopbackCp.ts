/**
 * A Berth server in SaaS mode for tests: the real CP provisioner (Node's HTTP client) against a loopback CP
 * (`CpServer`, provided as `Cp` so tests script it and read what it received), under the real workspace lifecycle.
 */
import type { Persistence } from "@berth/adapters"
import { CpProvisioner } from "@berth/adapters"
import { CpServer } from "@berth/adapters/testing"
import { NodeHttpClient } from "@effect/platform-node"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import * as Backend from "../../src/Backend.js"
import type * as EdgeConfig from "../../src/edge/EdgeConfig.js"
import { persistence, testServerOver } from "./TestServer.js"

/** The loopback CP the server talks to. */
export class Cp extends Context.Tag("test/Cp")<Cp, CpServer.CpServer>() {}

/** The CP backend; `X-Molecule-Admin-Token` carries the server's ADMIN_TOKEN, as `CpConfig` reads it. */
const cpBackend = (adminToken: string) => Layer.unwrapEffect(Effect.map(Cp, (cp) =>
  Backend.backendOver(CpProvisioner.layer({
    baseUrl: cp.url,
    orgId: "org-test",
    sharedSecret: Redacted.make("shared"),
    adminApiToken: Redacted.make("admin-api"),
    adminToken: Redacted.make(adminToken)
  }).pipe(Layer.provide(NodeHttpClient.layer)))))

/** The server over the CP backend with `ADMIN_TOKEN` = `adminToken` (and `settings`) on `database`, the CP in context. */
export const cpTestServer = (
  adminToken: string,
  settings: Partial<EdgeConfig.EdgeSettings> = {},
  database: Layer.Layer<Persistence.Services, Persistence.StartError> = persistence
) =>
  testServerOver(cpBackend(adminToken), { ...settings, adminToken: Option.some(Redacted.make(adminToken)) }, database).pipe(
    Layer.provideMerge(Layer.scoped(Cp, CpServer.make))
  )
