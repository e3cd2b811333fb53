/** Reading dockerode's errors: status, the engine's message, kinds and retryability. */
import { describe, expect, it } from "@effect/vitest"
import * as DockerError from "../../src/docker/DockerError.js"

/** The shape docker-modem rejects with: a message with its prefix, `statusCode`, and `json` for non-stream calls. */
const modemError = (status: number, reason: string, body: string, json: unknown) =>
  Object.assign(new Error(`(HTTP code ${status}) ${reason} - ${body} `), { statusCode: status, json })

describe("DockerError.fromUnknown", () => {
  it("takes the engine's JSON message and status", () => {
    const e = DockerError.fromUnknown("inspect container ws-1", modemError(404, "no such container", "No such container: ws-1", { message: "No such container: ws-1" }))
    expect([e.operation, e.status, e.message, e.kind, e.retryable]).toEqual(["inspect container ws-1", 404, "No such container: ws-1", "absent", false])
  })

  it("without JSON (stream calls) strips docker-modem's prefix", () => {
    const e = DockerError.fromUnknown("pull image x", modemError(500, "server error", 'Get "http://127.0.0.1:5001/v2/": connection refused', null))
    expect([e.status, e.message, e.kind, e.retryable]).toEqual([500, 'Get "http://127.0.0.1:5001/v2/": connection refused', "fault", true])
  })

  it("a transport failure has no status and is retryable; 409 is a conflict, 304 already", () => {
    const transport = DockerError.fromUnknown("ping", Object.assign(new Error("connect ENOENT /x.sock"), { code: "ENOENT" }))
    expect([transport.status, transport.message, transport.kind, transport.retryable]).toEqual([undefined, "connect ENOENT /x.sock", "fault", true])
    expect(DockerError.fromUnknown("remove volume v", modemError(409, "conflict", "volume is in use", { message: "volume is in use" })).kind).toBe("conflict")
    expect(DockerError.fromUnknown("start container c", modemError(304, "container already started", "", null)).kind).toBe("already")
  })

  it("the missing-image error carries the contract's message with the underlying one", () => {
    const cause = new DockerError.DockerError({ operation: "pull image r", status: 404, message: "manifest unknown" })
    expect(new DockerError.ImageUnavailable({ ref: "r:latest", cause }).message).toBe(
      `docker image "r:latest" not found after pull attempt — verify the image name and registry access (underlying error: manifest unknown)`
    )
  })
})
