/** The web handler under `/berth` on PGlite (the Postgres run is `WebHandlerPostgres.test.ts`), and one that cannot start. */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Logger } from "effect"
import * as WebHandler from "../../src/embed/WebHandler.js"
import { mountedSuite } from "./MountedSuite.js"

mountedSuite("web handler under /berth in node:http, on PGlite", { dataDir: "memory://" })

describe("web handler that cannot start", () => {
  it("rejects the request and logs the reason once, in the given logger", async () => {
    const lines: Array<string> = []
    const logger = Logger.replace(Logger.defaultLogger, Logger.make(({ cause, message }) => {
      lines.push(`${String(message)} ${Cause.pretty(cause)}`)
    }))
    const broken = WebHandler.make({ database: { dataDir: "memory://" }, secretsEncryptionKey: "too-short", logger })
    await expect(broken.handler(new Request("http://host/health"))).rejects.toBeDefined()
    expect(lines.filter((l) => l.includes("berth: start failed"))).toHaveLength(1)
    expect(lines.join("\n")).toContain("SECRETS_ENCRYPTION_KEY is set but unusable")
    await broken.dispose()
  })
})
