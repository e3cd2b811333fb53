/** Core's `ProvisionSettings` from the environment (§1, §7.5), read once at start by main. */
import type { ProvisionSettingsValues } from "@berth/core"
import { ProvisionSettings } from "@berth/core"
import { Config, Effect, Layer } from "effect"

const trimmed = (name: string) => Effect.map(Effect.orElseSucceed(Config.string(name), () => ""), (s) => s.trim())

/** `PLATFORM_URL`, else `http://host.docker.internal:<port>`; `PROVISION_TIMEOUT_SECONDS` as written. */
export const settings = (port: number): Effect.Effect<ProvisionSettingsValues> =>
  Effect.gen(function* () {
    const url = yield* trimmed("PLATFORM_URL")
    return {
      platformUrl: url !== "" ? url : `http://host.docker.internal:${port}`,
      provisionTimeoutSeconds: yield* trimmed("PROVISION_TIMEOUT_SECONDS")
    }
  })

export const layer = (port: number): Layer.Layer<ProvisionSettings> => Layer.effect(ProvisionSettings, settings(port))
