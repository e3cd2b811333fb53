/** `POST /registry/register` (§5.11), step by step in the contract's order. */
import type { HttpServerRequest } from "@effect/platform"
import { AgentUrl, EventBus, TokenRepository, WorkspaceId, WorkspaceRepository } from "@berth/core"
import { Effect, Option, Schema } from "effect"
import { EdgeConfig } from "../edge/EdgeConfig.js"
import type { RegisterPayload } from "../groups/Registry.js"
import { isCard } from "../groups/Registry.js"
import { registryGate } from "../guards/RegistryGate.js"
import { BadRequest, Internal, invalidRequestBody, invalidWorkspaceId, workspaceRemoved } from "../wire/Errors.js"
import { readOrHeal } from "./InboundSecret.js"

const registrationFailed = new Internal({ error: "registration failed" })

const decodeId = Schema.decodeUnknownOption(WorkspaceId.WorkspaceId)

/** A body id: missing → invalid request body; not UUID-shaped → invalid workspace ID. */
export const bodyId = (raw: string | undefined): Effect.Effect<WorkspaceId.WorkspaceId, BadRequest> =>
  raw === undefined || raw === ""
    ? Effect.fail(invalidRequestBody)
    : Option.match(decodeId(raw), { onNone: () => Effect.fail(invalidWorkspaceId), onSome: Effect.succeed })

/** URLs Berth's Docker provisioner records; a register never replaces them (§5.11 rule 4). */
export const isProvisionerUrl = (url: string | null): boolean =>
  url !== null && (url.startsWith("http://127.0.0.1:") || url.startsWith("http://ws-"))

export const register = (payload: typeof RegisterPayload.Type, request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const config = yield* EdgeConfig
    const workspaces = yield* WorkspaceRepository
    const tokens = yield* TokenRepository
    const bus = yield* EventBus
    // 1. shape: `id` wins over its alias `workspace_id`
    const rawId = payload.id !== undefined && payload.id !== "" ? payload.id : payload.workspace_id
    if (rawId === undefined || rawId === "" || !isCard(payload.agent_card)) return yield* Effect.fail(invalidRequestBody)
    const id = yield* bodyId(rawId)
    const requested = payload.delivery_mode ?? ""
    if (requested !== "" && requested !== "push" && requested !== "poll") {
      return yield* Effect.fail(new BadRequest({ error: "delivery_mode must be 'push' or 'poll'" }))
    }
    // 2. token gate, then the tombstone
    const gate = yield* registryGate(id, request.headers)
    const stored = yield* Effect.orElseFail(workspaces.get(id), () => registrationFailed)
    if (Option.isSome(stored) && stored.value.status === "removed") {
      return yield* Effect.fail(workspaceRemoved(id, stored.value.updatedAt))
    }
    // 3. effective mode: payload, else stored, else poll for external, else push
    const mode: "push" | "poll" = requested === "push" || requested === "poll"
      ? requested
      : Option.match(stored, { onNone: () => "push", onSome: (w) => w.deliveryMode })
    // 4. push needs a checked url, unless Berth's own provisioner recorded the stored one
    let url: string | null = payload.url ?? null
    if (mode === "push") {
      if (Option.isSome(stored) && isProvisionerUrl(stored.value.url)) {
        url = null
      } else {
        if (url === null || url === "") return yield* Effect.fail(new BadRequest({ error: "url is required for push-mode workspaces" }))
        yield* AgentUrl.check(url, config.saasMode).pipe(Effect.mapError((e) => new BadRequest({ error: e.message })))
      }
    }
    // 5. upsert (every status but removed becomes online), 6. WORKSPACE_ONLINE
    const recorded = yield* workspaces.register({
      id,
      url: url === "" ? null : url,
      agentCard: payload.agent_card,
      deliveryMode: mode,
      event: {
        type: "WORKSPACE_ONLINE",
        payload: { url: url ?? (Option.isSome(stored) ? stored.value.url : null), agent_card: payload.agent_card, delivery_mode: mode, source: "register" }
      }
    }).pipe(Effect.orElseFail(() => registrationFailed))
    if (Option.isNone(recorded)) {
      // removed between the read and the upsert
      const now = yield* Effect.orElseSucceed(workspaces.get(id), () => Option.none())
      return yield* Effect.fail(workspaceRemoved(id, Option.match(now, { onNone: () => null, onSome: (w) => w.updatedAt })))
    }
    yield* bus.publish(recorded.value)
    // 7. bootstrap token only when the workspace had none; the inbound secret when read-or-heal succeeds
    const authToken = gate === "bootstrap"
      ? yield* tokens.issue(id).pipe(
        Effect.map((t) => Option.some(t.token)),
        Effect.catchAll((e) => Effect.as(Effect.logWarning("register: token mint failed", e), Option.none<string>()))
      )
      : Option.none<string>()
    const secret = yield* readOrHeal("register", id)
    yield* Effect.logInfo(`register: ${id} online (${mode})`)
    return {
      status: "registered" as const,
      delivery_mode: mode,
      ...(Option.isSome(authToken) ? { auth_token: authToken.value } : {}),
      ...(Option.isSome(secret) ? { platform_inbound_secret: secret.value } : {})
    }
  }).pipe(Effect.withSpan("Registry.register"))

