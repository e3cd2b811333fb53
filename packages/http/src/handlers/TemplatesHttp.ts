/** Handler of `GET /templates` (§5.9): absent or empty fields are omitted, because clients test them by truthiness. */
import { HttpApiBuilder } from "@effect/platform"
import type { ProviderRegistryEntry, Template } from "@berth/core"
import { Templates } from "@berth/core"
import { Effect, Layer } from "effect"
import { Api } from "../Api.js"
import * as AdminAuth from "../guards/AdminAuth.js"

export const registryEntry = (e: ProviderRegistryEntry) => ({
  name: e.name,
  ...(e.authMode === null || e.authMode === "" ? {} : { auth_mode: e.authMode }),
  ...(e.modelPrefixes.length === 0 ? {} : { model_prefixes: e.modelPrefixes }),
  ...(e.modelAliases.length === 0 ? {} : { model_aliases: e.modelAliases }),
  base_url: e.baseUrl,
  ...(e.authEnv.length === 0 ? {} : { auth_env: e.authEnv })
})

export const toWire = (t: Template) => {
  const model = t.model ?? t.runtimeConfig.model
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    tier: t.tier,
    runtime: t.runtime,
    ...(model === null || model === "" ? {} : { model }),
    ...(t.runtimeConfig.models.length === 0
      ? {}
      : { models: t.runtimeConfig.models.map((m) => ({ id: m.id, name: m.name, required_env: m.requiredEnv })) }),
    ...(t.runtimeConfig.requiredEnv.length === 0 ? {} : { required_env: t.runtimeConfig.requiredEnv }),
    ...(t.runtimeConfig.providers.length === 0 ? {} : { providers: t.runtimeConfig.providers }),
    ...(t.providerRegistry.length === 0 ? {} : { provider_registry: t.providerRegistry.map(registryEntry) }),
    skills: t.skills,
    skill_count: t.skills.length,
    ...(t.runtimeConfig.provisionTimeoutSeconds === null ? {} : { provision_timeout_seconds: t.runtimeConfig.provisionTimeoutSeconds })
  }
}

export const TemplatesLive = HttpApiBuilder.group(Api, "templates", (handlers) =>
  Effect.gen(function* () {
    const templates = yield* Templates
    return handlers.handle("list", () => Effect.map(templates.list(), (all) => all.map(toWire)))
  })).pipe(Layer.provide(AdminAuth.layer))
