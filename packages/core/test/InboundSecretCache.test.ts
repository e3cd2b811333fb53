import { Errors, InboundSecretCache } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"
import { Data, Effect, Either, Ref, TestClock } from "effect"

class Boom extends Data.TaggedError("Boom")<{}> {}

const counting = (calls: Ref.Ref<number>, result: Effect.Effect<string, Boom | Errors.NoInboundSecret>) =>
  Effect.zipRight(Ref.update(calls, (n) => n + 1), result)

const run = <A, E>(eff: Effect.Effect<A, E, InboundSecretCache>) =>
  Effect.provide(eff, InboundSecretCache.Default)

describe("InboundSecretCache", () => {
  it.effect("hits at 299 s and reloads at 300 s", () =>
    run(Effect.gen(function* () {
      const cache = yield* InboundSecretCache
      const calls = yield* Ref.make(0)
      const load = counting(calls, Effect.succeed("s1"))
      expect(yield* cache.get("w", load)).toBe("s1")
      yield* TestClock.adjust("299 seconds")
      yield* cache.get("w", load)
      expect(yield* Ref.get(calls)).toBe(1)
      yield* TestClock.adjust("1 second")
      yield* cache.get("w", load)
      expect(yield* Ref.get(calls)).toBe(2)
    })))

  it.effect("never caches absence or errors", () =>
    run(Effect.gen(function* () {
      const cache = yield* InboundSecretCache
      const calls = yield* Ref.make(0)
      const absent = counting(calls, Effect.fail(new Errors.NoInboundSecret({ workspaceId: "w" })))
      expect(Either.isLeft(yield* Effect.either(cache.get("w", absent)))).toBe(true)
      expect(Either.isLeft(yield* Effect.either(cache.get("w", counting(calls, Effect.succeed("")))))).toBe(true)
      const err = yield* Effect.either(cache.get("w", counting(calls, Effect.fail(new Boom()))))
      expect(Either.isLeft(err) && err.left._tag).toBe("Boom")
      expect(yield* cache.get("w", counting(calls, Effect.succeed("s2")))).toBe("s2")
      expect(yield* Ref.get(calls)).toBe(4)
    })))

  it.effect("write-through on issue, keyed per workspace, reset forgets", () =>
    run(Effect.gen(function* () {
      const cache = yield* InboundSecretCache
      yield* cache.put("a", "issued")
      const never = Effect.die("loader must not run")
      expect(yield* cache.get("a", never)).toBe("issued")
      expect(yield* cache.get("b", Effect.succeed("other"))).toBe("other")
      yield* cache.reset
      expect(yield* cache.get("a", Effect.succeed("reloaded"))).toBe("reloaded")
    })))
})
