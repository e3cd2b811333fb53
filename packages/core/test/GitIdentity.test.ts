import { GitIdentity } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"

describe("GitIdentity", () => {
  it("slug: lower-cased, runs outside a-z0-9 become one hyphen, edges trimmed", () => {
    expect(GitIdentity.slug("Frontend Engineer")).toBe("frontend-engineer")
    expect(GitIdentity.slug("  Docs Bot (v2) — beta! ")).toBe("docs-bot-v2-beta")
    expect(GitIdentity.slug("UIUX Designer")).toBe("uiux-designer")
    expect(GitIdentity.slug("Ünïcode_Name.42")).toBe("n-code-name-42")
  })

  it("fills the four variables from the name", () => {
    expect(GitIdentity.applyGitIdentity({}, "Frontend Engineer")).toEqual({
      GIT_AUTHOR_NAME: "Molecule AI Frontend Engineer",
      GIT_AUTHOR_EMAIL: "frontend-engineer@agents.moleculesai.app",
      GIT_COMMITTER_NAME: "Molecule AI Frontend Engineer",
      GIT_COMMITTER_EMAIL: "frontend-engineer@agents.moleculesai.app"
    })
  })

  it("keeps what the operator set, sets nothing for an empty name, never mutates the input", () => {
    const env = { GIT_AUTHOR_NAME: "Custom", OTHER: "1" }
    const out = GitIdentity.applyGitIdentity(env, "Research Lead")
    expect(out["GIT_AUTHOR_NAME"]).toBe("Custom")
    expect(out["GIT_COMMITTER_NAME"]).toBe("Molecule AI Research Lead")
    expect(env).toEqual({ GIT_AUTHOR_NAME: "Custom", OTHER: "1" })
    expect(GitIdentity.applyGitIdentity({ A: "b" }, "   ")).toEqual({ A: "b" })
  })
})
