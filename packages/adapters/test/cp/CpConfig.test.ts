import { CpConfig } from "@berth/adapters"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Redacted } from "effect"

const read = (env: Record<string, string>) =>
  Effect.withConfigProvider(CpConfig.CpConfig, ConfigProvider.fromMap(new Map(Object.entries(env))))

const plain = (options: CpConfig.CpOptions) => ({
  baseUrl: options.baseUrl,
  orgId: options.orgId,
  sharedSecret: Redacted.value(options.sharedSecret),
  adminApiToken: Redacted.value(options.adminApiToken),
  adminToken: Redacted.value(options.adminToken)
})

describe("CpConfig", () => {
  it.effect("defaults: the public CP, no credentials", () =>
    Effect.gen(function* () {
      expect(plain(yield* read({ MOLECULE_ORG_ID: "org-1" }))).toEqual({
        baseUrl: "https://api.moleculesai.app",
        orgId: "org-1",
        sharedSecret: "",
        adminApiToken: "",
        adminToken: ""
      })
    }))

  it.effect("the first non-empty of each pair wins; the admin API token defaults to the shared secret", () =>
    Effect.gen(function* () {
      const options = yield* read({
        CP_PROVISION_URL: "",
        MOLECULE_CP_URL: "http://127.0.0.1:9000/",
        MOLECULE_CP_SHARED_SECRET: " ",
        PROVISION_SHARED_SECRET: "fallback-secret\n",
        ADMIN_TOKEN: "tenant"
      })
      expect(plain(options)).toEqual({
        baseUrl: "http://127.0.0.1:9000",
        orgId: "",
        sharedSecret: "fallback-secret",
        adminApiToken: "fallback-secret",
        adminToken: "tenant"
      })
    }))

  it.effect("the preferred names win when both are set", () =>
    Effect.gen(function* () {
      const options = yield* read({
        CP_PROVISION_URL: "http://127.0.0.1:9001",
        MOLECULE_CP_URL: "http://127.0.0.1:9000",
        MOLECULE_CP_SHARED_SECRET: "primary",
        PROVISION_SHARED_SECRET: "fallback",
        CP_ADMIN_API_TOKEN: "admin-api"
      })
      expect(plain(options)).toMatchObject({
        baseUrl: "http://127.0.0.1:9001",
        sharedSecret: "primary",
        adminApiToken: "admin-api"
      })
      expect(String(options.sharedSecret)).not.toContain("primary") // redacted when printed
    }))
})
