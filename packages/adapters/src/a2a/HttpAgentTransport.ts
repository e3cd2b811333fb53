/**
 * The `AgentTransport` port on `node:http`/`node:https`: one POST per call on a fresh connection (no pooled socket
 * outlives a call, so a wedged agent cannot hold one), the whole exchange bounded by `timeoutMillis`, the answer read
 * up to `maxResponseBytes`. Redirects are answers like any other (the proxy refuses 3xx). Errors are classified by
 * their Node codes.
 */
import type { AgentAnswer, AgentCall } from "@berth/core"
import { AgentCallFailed, AgentTransport } from "@berth/core"
import { Effect, Layer } from "effect"
import * as http from "node:http"
import * as https from "node:https"

/** Connection errors that mean the agent was there and dropped us (busy), not that nothing listens. */
const droppedCodes = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET"])

const failure = (kind: AgentCallFailed["kind"], message: string, status?: number) =>
  new AgentCallFailed(status === undefined ? { kind, message } : { kind, message, status })

const classify = (error: NodeJS.ErrnoException): AgentCallFailed =>
  droppedCodes.has(error.code ?? "") || error.message === "socket hang up"
    ? failure("dropped", error.message)
    : failure("refused", error.message)

export const post = (call: AgentCall): Effect.Effect<AgentAnswer, AgentCallFailed> =>
  Effect.async<AgentAnswer, AgentCallFailed>((resume, signal) => {
    let target: URL
    try {
      target = new URL(call.url)
    } catch {
      resume(Effect.fail(failure("invalid", `invalid agent URL: ${call.url}`)))
      return
    }
    const client = target.protocol === "https:" ? https : target.protocol === "http:" ? http : undefined
    if (client === undefined) {
      resume(Effect.fail(failure("invalid", `unsupported agent URL scheme: ${target.protocol}`)))
      return
    }
    let settled = false
    const settle = (effect: Effect.Effect<AgentAnswer, AgentCallFailed>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resume(effect)
    }
    const body = Buffer.from(call.body, "utf8")
    const request = client.request(target, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", "content-length": String(body.length) },
      signal
    }, (response) => {
      const status = response.statusCode ?? 0
      const chunks: Array<Buffer> = []
      let size = 0
      response.on("data", (chunk: Buffer) => {
        size += chunk.length
        if (size > call.maxResponseBytes) {
          response.destroy()
          settle(Effect.fail(failure("unreadable", `agent answer over ${call.maxResponseBytes} bytes`, status)))
          return
        }
        chunks.push(chunk)
      })
      response.on("end", () =>
        settle(Effect.succeed({ status, statusText: http.STATUS_CODES[status] ?? "", body: Buffer.concat(chunks).toString("utf8") })))
      response.on("error", (e) => settle(Effect.fail(failure("unreadable", e.message, status))))
      response.on("aborted", () => settle(Effect.fail(failure("unreadable", "agent answer cut short", status))))
    })
    const timer = setTimeout(() => {
      settle(Effect.fail(failure("timeout", `no answer within ${call.timeoutMillis} ms`)))
      request.destroy()
    }, call.timeoutMillis)
    request.on("error", (e: NodeJS.ErrnoException) => settle(Effect.fail(classify(e))))
    request.end(body)
    return Effect.sync(() => {
      clearTimeout(timer)
      request.destroy()
    })
  })

export const layer = Layer.succeed(AgentTransport, { post })
