/** Pull streams report errors in-band: `drainProgress` fails on them although `followProgress` does not. */
import { describe, expect, it } from "@effect/vitest"
import Docker from "dockerode"
import { Readable } from "node:stream"
import { drainProgress } from "../../src/docker/ImagePull.js"

// Only the modem's stream parser is used: no request is made.
const docker = new Docker({ socketPath: "/nonexistent/docker.sock" })
const stream = (...lines: ReadonlyArray<object>) => Readable.from(lines.map((l) => `${JSON.stringify(l)}\r\n`))

describe("drainProgress", () => {
  it("resolves with the events of a clean stream", async () => {
    const events = await drainProgress(docker, stream({ status: "Pulling from x" }, { status: "Digest: sha256:ab" }))
    expect(events).toEqual([{ status: "Pulling from x" }, { status: "Digest: sha256:ab" }])
  })

  it("rejects with the first error line, even after progress", async () => {
    const s = stream(
      { status: "Pulling fs layer", id: "1" },
      { errorDetail: { message: "unauthorized: authentication required" }, error: "unauthorized" },
      { error: "later" }
    )
    await expect(drainProgress(docker, s)).rejects.toThrow("unauthorized: authentication required")
    await expect(drainProgress(docker, stream({ error: "manifest unknown" }))).rejects.toThrow("manifest unknown")
  })
})
