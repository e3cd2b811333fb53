/** The registry token gate (§4.4) on stored tokens, and its fail-open rule when the live-token check cannot answer. */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { DatastoreUnavailable } from "../../src/domain/Errors.js"
import { TokenRepository } from "../../src/ports/TokenRepository.js"
import { TokenGate } from "../../src/registry/TokenGate.js"
import { databases } from "../usecases/Harness.js"
import { freshId, storedWorkspace } from "./Fixtures.js"

const persistence = databases[0]!.persistence
// The stored tokens, except that the live-token checks cannot reach the database.
const unreachable = new DatastoreUnavailable({ message: "connection refused" })
const TokensDown = Layer.effect(TokenRepository, Effect.map(TokenRepository, (tokens) => ({
  ...tokens,
  validate: () => Effect.fail(unreachable),
  hasLive: () => Effect.fail(unreachable)
})))

describe("TokenGate", () => {
  layer(TokenGate.Default.pipe(Layer.provideMerge(persistence)), { timeout: "60 seconds" })((it) => {
    it.effect("no live token → bootstrap; its token → authenticated; none or another → TokenRejected", () =>
      Effect.gen(function* () {
        const gate = yield* TokenGate
        const id = yield* storedWorkspace()
        expect(yield* gate.admit(id, Option.none())).toBe("bootstrap")
        expect(yield* gate.admit(id, Option.some("anything"))).toBe("bootstrap")
        const issued = yield* Effect.flatMap(TokenRepository, (tokens) => tokens.issue(id))
        expect(yield* gate.admit(id, Option.some(issued.token))).toBe("authenticated")
        expect(yield* Effect.flip(gate.admit(id, Option.none()))).toMatchObject({ _tag: "TokenRejected", presented: false })
        expect(yield* Effect.flip(gate.admit(id, Option.some("other")))).toMatchObject({ _tag: "TokenRejected", presented: true })
      }))

    it.effect("the heartbeat statement's verdict: only `rejected` refuses", () =>
      Effect.gen(function* () {
        const gate = yield* TokenGate
        const id = freshId()
        yield* gate.judge(id, "authenticated", Option.none())
        yield* gate.judge(id, "bootstrap", Option.none())
        expect(yield* Effect.flip(gate.judge(id, "rejected", Option.some("x")))).toMatchObject({ _tag: "TokenRejected", presented: true })
      }))
  })

  layer(TokenGate.Default.pipe(Layer.provide(TokensDown), Layer.provideMerge(persistence)), { timeout: "60 seconds" })((it) => {
    it.effect("a live-token check that fails lets the call through (liveness beats strictness)", () =>
      Effect.gen(function* () {
        const gate = yield* TokenGate
        expect(yield* gate.admit(freshId(), Option.some("whatever"))).toBe("checkFailed")
        expect(yield* gate.admit(freshId(), Option.none())).toBe("checkFailed")
      }))
  })
})
