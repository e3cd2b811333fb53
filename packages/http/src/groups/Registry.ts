/**
 * Registry routes (§5.11): agents register, heartbeat and update their card. No route guard: the registry token gate
 * (§4.4) is keyed by the id in the body, so the handlers run it after decoding. Payloads are loose on purpose: a wrong
 * type anywhere is the contract's `400 {"error":"invalid request body"}`, and the finer messages (missing id,
 * non-UUID id, bad delivery mode) are checked by the handler in the contract's order.
 */
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { GoneBody, InternalBody, NotFoundBody, UnauthorizedBody } from "../wire/Errors.js"

const invalidBody = { message: () => ({ message: "invalid request body", override: true }) }

const Card = Schema.Record({ key: Schema.String, value: Schema.Unknown })

export const RegisterPayload = Schema.Struct({
  id: Schema.optional(Schema.String),
  workspace_id: Schema.optional(Schema.String),
  url: Schema.optional(Schema.NullOr(Schema.String)),
  agent_card: Schema.optional(Schema.Unknown),
  delivery_mode: Schema.optional(Schema.NullOr(Schema.String))
}).annotations(invalidBody)

export const Registered = Schema.Struct({
  status: Schema.Literal("registered"),
  delivery_mode: Schema.Literal("push", "poll"),
  /** Only on the bootstrap register of a workspace without a live token; never re-issued. */
  auth_token: Schema.optional(Schema.String),
  platform_inbound_secret: Schema.optional(Schema.String)
})

export const HeartbeatPayload = Schema.Struct({
  workspace_id: Schema.optional(Schema.String),
  error_rate: Schema.optional(Schema.NullOr(Schema.Number)),
  sample_error: Schema.optional(Schema.NullOr(Schema.String)),
  active_tasks: Schema.optional(Schema.NullOr(Schema.Number)),
  uptime_seconds: Schema.optional(Schema.NullOr(Schema.Number)),
  current_task: Schema.optional(Schema.NullOr(Schema.String)),
  monthly_spend: Schema.optional(Schema.NullOr(Schema.Number)),
  runtime_state: Schema.optional(Schema.NullOr(Schema.String)),
  runtime_metadata: Schema.optional(Schema.NullOr(Schema.Struct({
    capabilities: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Boolean }))),
    idle_timeout_seconds: Schema.optional(Schema.NullOr(Schema.Number))
  })))
}).annotations(invalidBody)

export const HeartbeatOk = Schema.Struct({
  status: Schema.Literal("ok"),
  platform_inbound_secret: Schema.optional(Schema.String)
})

export const UpdateCardPayload = Schema.Struct({
  workspace_id: Schema.optional(Schema.String),
  agent_card: Schema.optional(Schema.Unknown)
}).annotations(invalidBody)

export const CardUpdated = Schema.Struct({ status: Schema.Literal("updated") })

/** An agent card must be a JSON object. */
export const isCard = Schema.is(Card)

export class RegistryGroup extends HttpApiGroup.make("registry")
  .add(
    HttpApiEndpoint.post("register", "/registry/register")
      .setPayload(RegisterPayload)
      .addSuccess(Registered)
      .addError(UnauthorizedBody)
      .addError(GoneBody)
  )
  .add(
    HttpApiEndpoint.post("heartbeat", "/registry/heartbeat")
      .setPayload(HeartbeatPayload)
      .addSuccess(HeartbeatOk)
      .addError(UnauthorizedBody)
      .addError(NotFoundBody)
      .addError(GoneBody)
  )
  .add(
    HttpApiEndpoint.post("updateCard", "/registry/update-card")
      .setPayload(UpdateCardPayload)
      .addSuccess(CardUpdated)
      .addError(UnauthorizedBody)
      .addError(NotFoundBody)
  )
  .addError(InternalBody)
{}
