import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { modeOf } from "../src/Backend.js"
import { chooseFormat } from "../src/Logging.js"

describe("choices made once at start", () => {
  it("§1 mode table: org id → saas; else a Docker ping → self-hosted; else external-only", () => {
    expect(modeOf(Option.some("org"), true)).toBe("saas")
    expect(modeOf(Option.some("org"), false)).toBe("saas")
    expect(modeOf(Option.none(), true)).toBe("self-hosted")
    expect(modeOf(Option.none(), false)).toBe("external-only")
  })

  it("logger: BERTH_LOG_FORMAT wins; unset → pretty on a terminal, JSON otherwise", () => {
    expect(chooseFormat(Option.some("json"), true)).toBe("json")
    expect(chooseFormat(Option.some("PRETTY"), false)).toBe("pretty")
    expect(chooseFormat(Option.none(), true)).toBe("pretty")
    expect(chooseFormat(Option.none(), false)).toBe("json")
    expect(chooseFormat(Option.some("weird"), false)).toBe("json")
  })

})
