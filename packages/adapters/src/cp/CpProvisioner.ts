/**
 * The CP provisioner (§8.3): workspaces run on machines the remote control plane creates, reached over its HTTP API.
 * Every non-success answer becomes core's `ProvisionFailed` with the operation, workspace id, status and a ≤ 512-byte
 * excerpt; its message is for logs (the pipeline shows clients only `provisioning failed`). It implements
 * `Provisioner` and `MachineConsole`; machines have no volumes or containers Berth could manage, so the container
 * capabilities are left out.
 */
import { Errors, MachineConsole, Provisioner } from "@berth/core"
import type { StartResult, StartSpec, WorkloadRef } from "@berth/core"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import type { ConfigError } from "effect"
import { Context, Effect, Either, Layer, Schema } from "effect"
import type { CpOptions } from "./CpConfig.js"
import { CpConfig } from "./CpConfig.js"
import type { Answer, Route } from "./CpExchange.js"
import { excerptBytes, excerptOf, isSuccess, makeExchange } from "./CpExchange.js"

const KiB = 1024

/** The port operations that talk to the CP, as named in `ProvisionFailed.operation`. */
type Operation = "start" | "stop" | "isRunning" | "consoleOutput"

/**
 * Per operation: its word in messages, the word on transport failures (contract: `send`, `stop`), and how much of
 * the body it reads (contract: 64 KiB for provision, 256 KiB for console; a stop only needs an excerpt).
 */
const operations: Record<Operation, { readonly verb: string; readonly transport: string; readonly readLimit: number }> = {
  start: { verb: "provision", transport: "send", readLimit: 64 * KiB },
  stop: { verb: "stop", transport: "stop", readLimit: excerptBytes },
  isRunning: { verb: "status", transport: "status", readLimit: 64 * KiB },
  consoleOutput: { verb: "console", transport: "console", readLimit: 256 * KiB }
}

const ProvisionAnswer = Schema.parseJson(Schema.Struct({
  instance_id: Schema.NonEmptyString,
  private_ip: Schema.optional(Schema.String),
  state: Schema.optional(Schema.String),
  error: Schema.optional(Schema.String)
}))
const ErrorAnswer = Schema.parseJson(Schema.Struct({ error: Schema.String }))
const StatusAnswer = Schema.parseJson(Schema.Struct({ state: Schema.String }))
const ConsoleAnswer = Schema.parseJson(Schema.Struct({ output: Schema.String }))

/** Decodes a JSON answer, `Left` when it does not have the expected shape. */
const decode = <A, I>(schema: Schema.Schema<A, I>, body: Uint8Array) =>
  Schema.decodeUnknownEither(schema)(new TextDecoder().decode(body))

const failed = (
  operation: Operation,
  workspaceId: string,
  message: string,
  answer?: Answer
): Errors.ProvisionFailed =>
  new Errors.ProvisionFailed({
    operation,
    workspaceId,
    message,
    // 5xx and transport failures are the CP's passing trouble; 4xx and odd answers are not retried by callers.
    retryable: answer === undefined || answer.status >= 500,
    ...(answer === undefined ? {} : { status: answer.status, excerpt: excerptOf(answer.body) })
  })

const withExcerpt = (prefix: string, answer: Answer) => {
  const excerpt = excerptOf(answer.body)
  return excerpt === "" ? prefix : `${prefix}: ${excerpt}`
}

/** `cp provisioner: <verb> <id>: <what>: <excerpt>`, e.g. the contract's `cp provisioner: stop <id>: unexpected 503: …`. */
const answerFailure = (operation: Operation, id: string, answer: Answer, what: string) =>
  failed(operation, id, withExcerpt(`cp provisioner: ${operations[operation].verb} ${id}: ${what}`, answer), answer)

const unexpected = (operation: Operation, id: string, answer: Answer) =>
  answerFailure(operation, id, answer, `unexpected ${answer.status}`)

/** A 2xx (or a 201 for start) whose body lacks the contract's fields: the CP misbehaves, nothing to retry. */
const undecodable = (operation: Operation, id: string, answer: Answer) =>
  answerFailure(operation, id, answer, `undecodable ${answer.status} answer`)

/** Contract: `cp provisioner: provision failed (500): <body.error or excerpt>`; the error is cut like an excerpt. */
const provisionRefused = (id: string, answer: Answer) => {
  const reported = Either.match(decode(ErrorAnswer, answer.body), {
    onLeft: () => "",
    onRight: ({ error }) => excerptOf(new TextEncoder().encode(error))
  })
  const reason = reported !== "" ? reported : excerptOf(answer.body)
  return failed("start", id, `cp provisioner: provision failed (${answer.status}): ${reason}`, answer)
}

/** The machine the ref names, or `null`: without one there is nothing on the CP to stop or ask about. */
const instanceOf = (ref: WorkloadRef): string | null =>
  ref.instanceId !== null && ref.instanceId.trim() !== "" ? ref.instanceId : null

/** The CP provisioner over an `HttpClient` (Node's in production, the same one against a loopback CP in tests). */
/** Everything the CP backend does: the common `Provisioner` and the machine console. */
export type CpBackend = Provisioner["Type"] & MachineConsole["Type"]

export const make = (options: CpOptions): Effect.Effect<CpBackend, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const exchange = makeExchange(yield* HttpClient.HttpClient, options)
    const base = options.baseUrl
    const workspacePath = (id: string) => `${base}/cp/workspaces/${encodeURIComponent(id)}`

    /** One exchange for `operation`; a transport failure becomes `cp provisioner: <verb>: <reason>`. */
    const send = (operation: Operation, id: string, route: Route, request: HttpClientRequest.HttpClientRequest) =>
      exchange({ request, route, readLimit: operations[operation].readLimit }).pipe(
        Effect.mapError((e) =>
          failed(operation, id, `cp provisioner: ${operations[operation].transport}: ${e.reason}`)
        )
      )

    const start = Effect.fn("CpProvisioner.start")(function* (spec: StartSpec) {
      const request = HttpClientRequest.post(`${base}/cp/workspaces/provision`).pipe(
        HttpClientRequest.bodyUnsafeJson({
          org_id: options.orgId,
          workspace_id: spec.id,
          runtime: spec.runtime,
          tier: spec.tier,
          platform_url: spec.platformUrl,
          env: spec.env
        })
      )
      const answer = yield* send("start", spec.id, "provision", request)
      // Contract: only 201 means a machine was made; a 200 is some other endpoint's answer.
      if (answer.status !== 201) return yield* Effect.fail(provisionRefused(spec.id, answer))
      const made = decode(ProvisionAnswer, answer.body)
      if (Either.isLeft(made)) return yield* Effect.fail(undecodable("start", spec.id, answer))
      const instanceId = made.right.instance_id
      yield* Effect.logInfo(`CPProvisioner: workspace ${spec.id} started as machine ${instanceId} via control plane`)
      return { url: null, instanceId } satisfies StartResult
    }, (effect, spec) => Effect.annotateLogs(effect, "workspace_id", spec.id))

    const stop = Effect.fn("CpProvisioner.stop")(function* (ref: WorkloadRef) {
      const instanceId = instanceOf(ref)
      if (instanceId === null) {
        yield* Effect.logInfo(`CP provisioner: Stop for ${ref.id} — no instance_id on file, nothing to do`)
        return
      }
      const request = HttpClientRequest.del(workspacePath(ref.id)).pipe(
        HttpClientRequest.setUrlParam("instance_id", instanceId)
      )
      const answer = yield* send("stop", ref.id, "provision", request)
      if (!isSuccess(answer.status)) return yield* Effect.fail(unexpected("stop", ref.id, answer))
    }, (effect, ref) => Effect.annotateLogs(effect, "workspace_id", ref.id))

    const askRunning = (ref: WorkloadRef, instanceId: string) =>
      Effect.gen(function* () {
        const request = HttpClientRequest.get(`${workspacePath(ref.id)}/status`).pipe(
          HttpClientRequest.setUrlParam("instance_id", instanceId)
        )
        const answer = yield* send("isRunning", ref.id, "provision", request)
        if (!isSuccess(answer.status)) return yield* Effect.fail(unexpected("isRunning", ref.id, answer))
        const status = decode(StatusAnswer, answer.body)
        if (Either.isLeft(status)) return yield* Effect.fail(undecodable("isRunning", ref.id, answer))
        return status.right.state === "running"
      })

    const isRunning = Effect.fn("CpProvisioner.isRunning")(function* (ref: WorkloadRef) {
      const instanceId = instanceOf(ref)
      if (instanceId === null) return false
      // Port rule: when the CP cannot tell, answer running, so no caller restarts a machine on a CP blip.
      return yield* askRunning(ref, instanceId).pipe(
        Effect.catchAll((error) => Effect.as(Effect.logWarning(`${error.message} (assuming running)`), true))
      )
    }, (effect, ref) => Effect.annotateLogs(effect, "workspace_id", ref.id))

    const consoleOutput = Effect.fn("CpProvisioner.consoleOutput")(function* (ref: WorkloadRef) {
      const request = HttpClientRequest.get(`${base}/cp/admin/workspaces/${encodeURIComponent(ref.id)}/console`)
      const answer = yield* send("consoleOutput", ref.id, "admin", request)
      if (!isSuccess(answer.status)) return yield* Effect.fail(unexpected("consoleOutput", ref.id, answer))
      const output = decode(ConsoleAnswer, answer.body)
      if (Either.isLeft(output)) return yield* Effect.fail(undecodable("consoleOutput", ref.id, answer))
      return output.right.output
    }, (effect, ref) => Effect.annotateLogs(effect, "workspace_id", ref.id))

    const backend: CpBackend = { start, stop, isRunning, consoleOutput }
    return backend
  })

/** The CP provisioner for fixed options; needs an `HttpClient` (e.g. `NodeHttpClient.layer`). */
export const layer = (options: CpOptions): Layer.Layer<Provisioner | MachineConsole, never, HttpClient.HttpClient> =>
  Layer.effectContext(Effect.map(make(options), (cp) => Context.make(Provisioner, cp).pipe(Context.add(MachineConsole, cp))))

/** The CP provisioner configured from the environment (`CpConfig`); needs an `HttpClient`. */
export const layerConfig: Layer.Layer<Provisioner | MachineConsole, ConfigError.ConfigError, HttpClient.HttpClient> = Layer.unwrapEffect(
  Effect.map(CpConfig, layer)
)
