/** The web handler under `/berth` on a real Postgres (a fresh database): skipped locally without one, fatal in CI. */
import { Testing } from "@berth/adapters/testing"
import { describe } from "@effect/vitest"
import { mountedSuite } from "./MountedSuite.js"

const url = await Testing.freshPostgresDatabase("berth_http_embed")

describe.skipIf(url === undefined)("Postgres", () => {
  mountedSuite("web handler under /berth in node:http, on Postgres", { postgresUrl: url ?? "" })
})
