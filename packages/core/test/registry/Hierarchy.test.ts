import { describe, expect, it } from "@effect/vitest"
import { chainsRelated } from "../../src/registry/Hierarchy.js"

describe("CanCommunicate (§4.5)", () => {
  it("self, siblings (roots too), ancestors both ways; not cousins", () => {
    expect(chainsRelated("a", "a", [], [])).toBe(true)
    expect(chainsRelated("a", "b", [], [])).toBe(true) // two roots
    expect(chainsRelated("a", "b", ["p"], ["p"])).toBe(true)
    expect(chainsRelated("c", "p", ["p", "g"], ["g"])).toBe(true)
    expect(chainsRelated("g", "c", [], ["p", "g"])).toBe(true)
    expect(chainsRelated("a", "b", ["p"], ["q"])).toBe(false)
    expect(chainsRelated("a", "r", ["p"], [])).toBe(false)
  })
})
