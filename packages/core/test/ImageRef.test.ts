import { ImageRef } from "@berth/core"
import { describe, expect, it } from "@effect/vitest"

const base = "ghcr.io/molecule-ai/workspace-template-hermes"
const hex = "a".repeat(64)

describe("ImageRef.isMovingTag", () => {
  it.each([
    [base, true],
    [`${base}:latest`, true],
    [`${base}:staging`, true],
    [`${base}:main`, true],
    [`${base}:dev`, true],
    [`${base}:edge`, true],
    [`${base}:nightly`, true],
    [`${base}:rolling`, true],
    ["localhost:5000/x", true],
    ["localhost:5000/x:latest", true],
    ["ubuntu", true],
    [`${base}:0.8.2`, false],
    [`${base}:v1.2.3`, false],
    [`${base}:sha-abc1234`, false],
    [`${base}:2026-04-30`, false],
    [`${base}:build-12345`, false],
    [`${base}@sha256:${hex}`, false],
    [`${base}:latest@sha256:${hex}`, false],
    ["localhost:5000/x:0.8.2", false],
    ["workspace-template:hermes", false],
    [`${base}:Latest`, false],
    ["localhost:5000/x@sha256:" + hex, false]
  ])("%s moving=%s", (ref, moving) => {
    expect(ImageRef.isMovingTag(ref)).toBe(moving)
  })
})

describe("ImageRef.parse", () => {
  it.each([
    ["localhost:5000/foo", { registry: "localhost:5000", repository: "foo", tag: undefined, digest: undefined }],
    ["localhost:5000/foo:1", { registry: "localhost:5000", repository: "foo", tag: "1", digest: undefined }],
    [`${base}:latest@sha256:${hex}`, { registry: "ghcr.io", repository: "molecule-ai/workspace-template-hermes", tag: "latest", digest: `sha256:${hex}` }],
    ["workspace-template:hermes", { registry: undefined, repository: "workspace-template", tag: "hermes", digest: undefined }],
    ["library/ubuntu:22.04", { registry: undefined, repository: "library/ubuntu", tag: "22.04", digest: undefined }],
    ["localhost/x", { registry: "localhost", repository: "x", tag: undefined, digest: undefined }]
  ])("%s", (ref, expected) => {
    expect(ImageRef.parse(ref)).toEqual(expected)
  })
})
