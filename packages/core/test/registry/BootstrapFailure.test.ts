import { describe, expect, it } from "@effect/vitest"
import { lastBytes, MAX_BYTES, sampleError } from "../../src/registry/BootstrapFailure.js"

// What the handler did before the rule moved to core (core has no Buffer): slice the encoded bytes, decode again.
const viaBuffer = (text: string, max: number) => {
  const bytes = Buffer.from(text, "utf8")
  return bytes.length <= max ? text : bytes.subarray(bytes.length - max).toString("utf8")
}

describe("bootstrap failure report (§5.12)", () => {
  it("the tail keeps its LAST 8192 bytes", () => {
    const tail = "a".repeat(10_000) + "END"
    expect(MAX_BYTES).toBe(8192)
    expect(Buffer.byteLength(lastBytes(tail))).toBe(8192)
    expect(lastBytes(tail).endsWith("END")).toBe(true)
    expect(Buffer.byteLength(sampleError("boom", tail))).toBe(8192)
  })

  it("the sample error is the error, then the tail, either alone when the other is empty", () => {
    expect(sampleError("boom", "log")).toBe("boom\nlog")
    expect(sampleError("", "log")).toBe("log")
    expect(sampleError("boom", "")).toBe("boom")
  })

  it("cuts multi-byte text exactly as slicing the UTF-8 bytes does", () => {
    const samples = ["é".repeat(9), "€a€b€", "😀x😀y😀", "a\uD800b" + "ü".repeat(5), "ab", "", "日本語のログ"]
    for (const text of samples) {
      for (let max = 0; max <= 14; max++) expect(lastBytes(text, max)).toBe(viaBuffer(text, max))
    }
  })
})
