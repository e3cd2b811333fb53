import { EicProbeConfig } from "@berth/adapters"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"

const read = (env: Record<string, string>) =>
  Effect.withConfigProvider(EicProbeConfig.EicProbeConfig, ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("EicProbeConfig", () => {
  it.effect("defaults to the CP machine image's user and region; an empty value means unset", () =>
    Effect.gen(function* () {
      expect(yield* read({})).toEqual({ osUser: "ubuntu", region: "us-east-2" })
      expect(yield* read({ WORKSPACE_EC2_OS_USER: "", AWS_REGION: " " })).toEqual({ osUser: "ubuntu", region: "us-east-2" })
    }))

  it.effect("reads WORKSPACE_EC2_OS_USER and AWS_REGION", () =>
    Effect.gen(function* () {
      expect(yield* read({ WORKSPACE_EC2_OS_USER: "ec2-user", AWS_REGION: "eu-west-1" })).toEqual({
        osUser: "ec2-user",
        region: "eu-west-1"
      })
    }))
})
