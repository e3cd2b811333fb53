/**
 * Wire errors: each is a tagged class for handlers to fail with, and a body schema whose JSON is exactly the
 * contract's error body (§0: `{"error": …}` plus the route's extra fields) with its HTTP status attached here, at the
 * edge. The `_tag` never reaches the wire; decoding (the typed client) restores it.
 */
import { HttpApiSchema } from "@effect/platform"
import { Effect, Schema } from "effect"

/** `detail` (a Berth addition, issue 17) names the field and what was wrong; `error` stays the contract's text. */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", {
  error: Schema.String,
  detail: Schema.optional(Schema.String)
}) {}
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", { error: Schema.String }) {}
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", { error: Schema.String }) {}
/** `deleted` only on `GET …/state` (§5.12). */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  error: Schema.String,
  deleted: Schema.optional(Schema.Boolean)
}) {}
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", { error: Schema.String }) {}
/** A removed workspace (§5.4) carries id, removed_at (null when unreadable, never a zero date) and hint. */
export class Gone extends Schema.TaggedError<Gone>()("Gone", {
  error: Schema.String,
  id: Schema.optional(Schema.String),
  removed_at: Schema.optional(Schema.NullOr(Schema.String)),
  hint: Schema.optional(Schema.String)
}) {}
export class TooManyRequests extends Schema.TaggedError<TooManyRequests>()("TooManyRequests", { error: Schema.String }) {}
export class Internal extends Schema.TaggedError<Internal>()("Internal", { error: Schema.String }) {}
export class NotImplemented extends Schema.TaggedError<NotImplemented>()("NotImplemented", { error: Schema.String }) {}
export class BadGateway extends Schema.TaggedError<BadGateway>()("BadGateway", { error: Schema.String }) {}
/** §4.2 rule 3: `{"error": …, "code": "platform_unavailable"}`. */
export class Unavailable extends Schema.TaggedError<Unavailable>()("Unavailable", {
  error: Schema.String,
  code: Schema.String
}) {}

/** `503 {"error":"provisioner not available"}` (§5.6 rule 3): no `code`, unlike the datastore 503. */
export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()("ServiceUnavailable", { error: Schema.String }) {}
/** `503 {"error":"workspace not available","status":"<status>"}` (§5.11.1 discover): the peer is there but not reachable. */
export class PeerNotAvailable extends Schema.TaggedError<PeerNotAvailable>()("PeerNotAvailable", {
  error: Schema.String,
  status: Schema.String
}) {}
/** §5.8 secret values: `500 {"error":…,"failed_keys":["<scope>:<key>"]}`, the bundle refused whole. */
export class BundleRefused extends Schema.TaggedError<BundleRefused>()("BundleRefused", {
  error: Schema.String,
  failed_keys: Schema.Array(Schema.String)
}) {}
/** §5.5 rule 6: rows stay `removed`, some stops failed; retrying is safe. */
export class StopFailed extends Schema.TaggedError<StopFailed>()("StopFailed", {
  error: Schema.String,
  removed_count: Schema.Number,
  stop_failures: Schema.Number
}) {}

// Clients read exactly the body: keep the tag off the wire and restore it when decoding.
const tagless = <Tag extends string, Fields extends Schema.Struct.Fields, A extends { readonly _tag: Tag }, I extends { readonly _tag: Tag }, R>(
  tag: Tag,
  fields: Fields,
  cls: Schema.Schema<A, I, R>,
  status: number
) =>
  // `cls` (not its type side) so that decoding builds the class instance the typed client fails with.
  Schema.transform(Schema.Struct(fields), cls, {
    strict: false,
    decode: (wire) => ({ _tag: tag, ...wire }),
    encode: ({ _tag, ...wire }) => wire
  }).annotations(HttpApiSchema.annotations({ status }))

/** The usual body: `{"error": …}` plus the route's fields. */
const onWire = <Tag extends string, Fields extends Schema.Struct.Fields, A extends { readonly _tag: Tag }, I extends { readonly _tag: Tag }, R>(
  tag: Tag,
  fields: Fields,
  cls: Schema.Schema<A, I, R>,
  status: number
) => tagless(tag, { error: Schema.String, ...fields }, cls, status)

export const BadRequestBody = onWire("BadRequest", { detail: Schema.optional(Schema.String) }, BadRequest, 400)
export const UnauthorizedBody = onWire("Unauthorized", {}, Unauthorized, 401)
export const ForbiddenBody = onWire("Forbidden", {}, Forbidden, 403)
export const NotFoundBody = onWire("NotFound", { deleted: Schema.optional(Schema.Boolean) }, NotFound, 404)
export const ConflictBody = onWire("Conflict", {}, Conflict, 409)
export const GoneBody = onWire("Gone", {
  id: Schema.optional(Schema.String),
  removed_at: Schema.optional(Schema.NullOr(Schema.String)),
  hint: Schema.optional(Schema.String)
}, Gone, 410)
export const TooManyRequestsBody = onWire("TooManyRequests", {}, TooManyRequests, 429)
export const InternalBody = onWire("Internal", {}, Internal, 500)
export const NotImplementedBody = onWire("NotImplemented", {}, NotImplemented, 501)
export const BadGatewayBody = onWire("BadGateway", {}, BadGateway, 502)
export const UnavailableBody = onWire("Unavailable", { code: Schema.String }, Unavailable, 503)
export const ServiceUnavailableBody = onWire("ServiceUnavailable", {}, ServiceUnavailable, 503)
export const PeerNotAvailableBody = onWire("PeerNotAvailable", { status: Schema.String }, PeerNotAvailable, 503)
export const BundleRefusedBody = onWire("BundleRefused", { failed_keys: Schema.Array(Schema.String) }, BundleRefused, 500)
export const StopFailedBody = onWire("StopFailed", { removed_count: Schema.Number, stop_failures: Schema.Number }, StopFailed, 500)

/** Hibernate of a busy workspace without `?force=true` (§2.4): `409 {"error":…,"active_tasks":N}`. */
export class Busy extends Schema.TaggedError<Busy>()("Busy", { error: Schema.String, active_tasks: Schema.Number }) {}
export const BusyBody = onWire("Busy", { active_tasks: Schema.Number }, Busy, 409)

/** §5.5 rule 1, the one error body without `error`. */
const confirmationFields = {
  status: Schema.Literal("confirmation_required"),
  message: Schema.String,
  children: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String })),
  children_count: Schema.Number
}
/** `409 {"status":"confirmation_required","message":…,"children":[{"id","name"}],"children_count":N}`. */
export class ConfirmationRequired extends Schema.TaggedError<ConfirmationRequired>()("ConfirmationRequired", confirmationFields) {}
export const ConfirmationRequiredBody = tagless("ConfirmationRequired", confirmationFields, ConfirmationRequired, 409)


/** §4.2 rule 3, shared by every guard. */
export const datastoreUnavailable = new Unavailable({
  error: "platform datastore unavailable — retry shortly",
  code: "platform_unavailable"
})

/** A datastore fault of a repository call becomes the 503 of §4.2 (clients retry it). */
export const orUnavailable = <A, E extends { readonly _tag: string }, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, Extract<E, { readonly _tag: "DatastoreUnavailable" }>> | Unavailable, R> =>
  Effect.catchIf(
    self,
    (e): e is Extract<E, { readonly _tag: "DatastoreUnavailable" }> => e._tag === "DatastoreUnavailable",
    () => Effect.fail(datastoreUnavailable)
  )

/** The hint of §5.4, word for word. */
export const removedHint = "Regenerate workspace + token from the canvas → Tokens tab"

/** The 410 of §5.4 for a removed workspace; `removedAt` is the row's `updated_at` (null when unreadable). */
export const workspaceRemoved = (id: string, removedAt: Date | null) =>
  new Gone({
    error: "workspace removed",
    id,
    removed_at: removedAt === null || Number.isNaN(removedAt.getTime()) ? null : rfc3339(removedAt),
    hint: removedHint
  })

/** RFC 3339 UTC without milliseconds when they are zero (`2026-05-01T10:00:00Z`). */
export const rfc3339 = (date: Date): string => date.toISOString().replace(/\.000Z$/, "Z")

export const workspaceNotFound = new NotFound({ error: "workspace not found" })
/** A body that is not what the route reads (§5.6, §5.7, §5.11). */
export const invalidRequestBody = new BadRequest({ error: "invalid request body" })
export const invalidWorkspaceId = new BadRequest({ error: "invalid workspace ID" })
