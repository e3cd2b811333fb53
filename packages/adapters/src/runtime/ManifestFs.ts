/**
 * Loads the runtime allowlist (contract §2.2) from manifest.json on disk, or falls back to the built-in list.
 */
import { Runtime } from "@berth/core"
import { Config, Effect, Either, Layer } from "effect"
import * as fs from "node:fs"

/** Candidate paths: WORKSPACE_MANIFEST_PATH, else manifest.json up to two directories up. */
export const candidates = (envPath: string | undefined): ReadonlyArray<string> =>
  envPath !== undefined && envPath !== "" ? [envPath] : ["manifest.json", "../manifest.json", "../../manifest.json"]

/** Read the first existing candidate; a missing or malformed manifest yields the fallback allowlist (logged). */
export const load = (envPath: string | undefined): Effect.Effect<Runtime.Allowlist> =>
  Effect.gen(function* () {
    for (const path of candidates(envPath)) {
      if (!fs.existsSync(path)) continue
      const parsed = Either.try(() => JSON.parse(fs.readFileSync(path, "utf8")) as unknown)
      const allow = Either.flatMap(Either.mapLeft(parsed, String), Runtime.allowlistFromManifest)
      if (Either.isRight(allow)) return allow.right
      yield* Effect.logWarning(`runtime registry: cannot parse ${path}: ${allow.left}`)
      break
    }
    const n = Runtime.fallbackAllowlist.size
    yield* Effect.logInfo(`runtime registry: manifest.json not found, using fallback allowlist (${n} entries)`)
    return Runtime.fallbackAllowlist
  })

/** The allowlist of the manifest at `path` (or the default candidates when undefined). */
export const layerAt = (path: string | undefined) => Layer.effect(Runtime.RuntimeAllowlist, load(path))

/** Layer providing RuntimeAllowlist from `WORKSPACE_MANIFEST_PATH`, read through `Config` when it is built. */
export const layer = Layer.unwrapEffect(Effect.map(
  Effect.orElseSucceed(Config.string("WORKSPACE_MANIFEST_PATH"), () => ""),
  (path) => layerAt(path.trim() === "" ? undefined : path)
))
