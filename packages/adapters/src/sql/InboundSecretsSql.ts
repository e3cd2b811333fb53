/** `InboundSecrets` over `SqlClient`: the platform inbound secret column of a workspace row (§9.3). */
import { SqlClient } from "@effect/sql"
import { Errors, InboundSecrets } from "@berth/core"
import { Effect, Layer, Schema } from "effect"
import { datastore } from "./Rows.js"
import { randomSecret } from "./TokenHash.js"

const SecretRows = Schema.Array(Schema.Struct({ platformInboundSecret: Schema.NullOr(Schema.String) }))

export const make: Effect.Effect<InboundSecrets["Type"], never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return InboundSecrets.of({
    readInboundSecret: (id) =>
      sql`SELECT platform_inbound_secret FROM workspaces WHERE id = ${id}`.pipe(
        Effect.flatMap(Schema.decodeUnknown(SecretRows)),
        datastore,
        Effect.flatMap((rows) => {
          const secret = rows[0]?.platformInboundSecret ?? ""
          return secret === "" ? Effect.fail(new Errors.NoInboundSecret({ workspaceId: id })) : Effect.succeed(secret)
        })
      ),
    issueInboundSecret: (id) => {
      const secret = randomSecret()
      return sql`UPDATE workspaces SET platform_inbound_secret = ${secret} WHERE id = ${id} RETURNING id`.pipe(
        datastore,
        Effect.flatMap((rows) =>
          rows.length === 0 ? Effect.fail(new Errors.NoInboundSecret({ workspaceId: id })) : Effect.succeed(secret))
      )
    }
  })
})

export const layer = Layer.effect(InboundSecrets, make)
