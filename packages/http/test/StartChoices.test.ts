import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { modeOf } from "../src/Backend.js"
import { chooseFormat, chooseLevel } from "../src/Logging.js"

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

  it("log level: BERTH_LOG_LEVEL in any case; unset → INFO; an unknown word → INFO with a warning, not a failed start", () => {
    const label = (raw: string) => {
      const chosen = chooseLevel(raw)
      return [chosen.level.label, Option.getOrUndefined(chosen.warning)]
    }
    expect(label("debug")).toEqual(["DEBUG", undefined])
    expect(label(" Warn ")).toEqual(["WARN", undefined])
    expect(label("")).toEqual(["INFO", undefined])
    expect(label("Warning")).toEqual(["INFO", `BERTH_LOG_LEVEL="Warning" is not a log level, using INFO`])
  })

})
