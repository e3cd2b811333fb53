/** Docker's multiplexed exec stream split into stdout and stderr. */
import { describe, expect, it } from "@effect/vitest"
import { demux } from "../../src/docker/Exec.js"

const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text, "utf8")
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

describe("demux", () => {
  it("splits frames by stream type and joins each stream in order", () => {
    const raw = Buffer.concat([frame(1, "hel"), frame(2, "warn "), frame(1, "lo ✓"), frame(2, "again")])
    expect(demux(raw)).toEqual({ stdout: "hello ✓", stderr: "warn again" })
  })

  it("drops a truncated last frame", () => {
    const whole = frame(1, "complete")
    const cut = frame(1, "cut off").subarray(0, 10)
    expect(demux(Buffer.concat([whole, cut]))).toEqual({ stdout: "complete", stderr: "" })
    expect(demux(Buffer.alloc(0))).toEqual({ stdout: "", stderr: "" })
  })
})
