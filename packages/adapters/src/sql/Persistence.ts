/**
 * Everything persistence provides, composed once per backend: the repositories over `SqlClient`, the event bus and
 * leadership matching the database (PubSub and always-leader on PGlite; NOTIFY/LISTEN and advisory locks on
 * Postgres), with migrations applied (and the status enum checked) before any of them is used.
 */
import type { Migrator, SqlClient, SqlError } from "@effect/sql"
import type {
  ActivityRepository, EventBus, EventLog, IdempotencyKeys, Leadership, LeakSuspects, ListPages, SecretRepository,
  TokenRepository, WorkspaceConfigStore, WorkspaceStore, StatusWrites, WorkspaceHierarchy, AgentRegistrations,
  SweepCandidates, InboundSecrets
} from "@berth/core"
import type { ConfigError, Redacted } from "effect"
import { Duration, Effect, Layer } from "effect"
import * as EventBusMemory from "../events/EventBusMemory.js"
import * as EventBusPg from "../events/EventBusPg.js"
import * as LeadershipLocks from "../events/LeadershipLocks.js"
import * as ActivityRepoSql from "./ActivityRepoSql.js"
import * as AgentRegistrationsSql from "./AgentRegistrationsSql.js"
import type { DatabaseUnusable } from "./DatabaseUnusable.js"
import * as EmbeddedSql from "./EmbeddedSql.js"
import * as EventLogSql from "./EventLogSql.js"
import * as IdempotencyKeysSql from "./IdempotencyKeysSql.js"
import * as InboundSecretsSql from "./InboundSecretsSql.js"
import * as ListPagesSql from "./ListPagesSql.js"
import type { StatusEnumDrift } from "./Migrations.js"
import { MigrationsTimedOut, runMigrations } from "./Migrations.js"
import * as SecretCipher from "./SecretCipher.js"
import * as SecretRepoSql from "./SecretRepoSql.js"
import * as SmallStoresSql from "./SmallStoresSql.js"
import * as StatusWritesSql from "./StatusWritesSql.js"
import * as SweepCandidatesSql from "./SweepCandidatesSql.js"
import type { Backend } from "./Sql.js"
import { BackendConfig, checkedPgLayer } from "./Sql.js"
import * as TokenRepoSql from "./TokenRepoSql.js"
import * as WorkspaceHierarchySql from "./WorkspaceHierarchySql.js"
import * as WorkspaceStoreSql from "./WorkspaceStoreSql.js"

/** The narrow workspace ports, each served by its own SQL layer. */
export type WorkspacePorts =
  | WorkspaceStore
  | StatusWrites
  | WorkspaceHierarchy
  | AgentRegistrations
  | SweepCandidates
  | InboundSecrets

export type Repositories =
  | WorkspacePorts
  | TokenRepository
  | SecretRepository
  | ActivityRepository
  | EventLog
  | LeakSuspects
  | WorkspaceConfigStore
  | IdempotencyKeys
  | ListPages

export type Services = Repositories | EventBus | Leadership | SqlClient.SqlClient

/** Why persistence could not start: an unusable database, a failed migration, enum drift, no LISTEN for the event bus. */
export type StartError =
  | SqlError.SqlError
  | DatabaseUnusable
  | Migrator.MigrationError
  | StatusEnumDrift
  | MigrationsTimedOut
  | EventBusPg.EventBusNotListening

/** Each narrow workspace port from its SQL layer; need `SqlClient` and `SecretCipher`. */
export const workspacePorts = Layer.mergeAll(
  WorkspaceStoreSql.layer,
  StatusWritesSql.layer,
  WorkspaceHierarchySql.layer,
  AgentRegistrationsSql.layer,
  SweepCandidatesSql.layer,
  InboundSecretsSql.layer
)

/** The repositories; need `SqlClient` and `SecretCipher`. */
export const repositories = Layer.mergeAll(
  workspacePorts,
  TokenRepoSql.layer,
  SecretRepoSql.layer,
  ActivityRepoSql.layer,
  EventLogSql.layer,
  SmallStoresSql.leakSuspectsLayer,
  SmallStoresSql.workspaceConfigLayer,
  IdempotencyKeysSql.layer,
  ListPagesSql.layer
)

/** Runs the migrations when built (start-up, tests). */
/** How long start-up waits for the migrations (another replica may hold their lock) before it fails. */
export const MIGRATION_TIMEOUT: Duration.DurationInput = "5 minutes"

/** Runs the migrations when built (start-up, tests), bounded by `timeout`. */
export const migrated = (timeout: Duration.DurationInput = MIGRATION_TIMEOUT): Layer.Layer<never, StartError, SqlClient.SqlClient> =>
  Layer.effectDiscard(runMigrations.pipe(
    Effect.timeoutFail({ duration: timeout, onTimeout: () => new MigrationsTimedOut({ seconds: Duration.toSeconds(timeout) }) })
  ))

export interface PersistenceOptions {
  /** EventBusPg poll period. */
  readonly pollInterval?: Duration.DurationInput
  /** LeadershipPg retry period. */
  readonly leaderRetryInterval?: Duration.DurationInput
  /** The database of the event bus's LISTEN connection, when not the pool's (tests put a proxy in front of it). */
  readonly listenUrl?: Redacted.Redacted
  /** How long start-up waits for the migrations; `MIGRATION_TIMEOUT` unless set. */
  readonly migrationTimeout?: Duration.DurationInput
}

/** All persistence services for a backend; the cipher comes from `SecretCipher` (config or fixed key). */
export const layerFor = (backend: Backend, options: PersistenceOptions = {}): Layer.Layer<Services, StartError, SecretCipher.SecretCipher> => {
  if (backend._tag === "Embedded") {
    const sql = migrated(options.migrationTimeout).pipe(Layer.provideMerge(EmbeddedSql.layer(backend.dataDir)))
    return Layer.mergeAll(repositories, EventBusMemory.layer, LeadershipLocks.layerLocal).pipe(Layer.provideMerge(sql))
  }
  const client = checkedPgLayer(backend.url)
  const sql = migrated(options.migrationTimeout).pipe(Layer.provideMerge(client))
  return Layer.mergeAll(
    repositories,
    EventBusPg.layer({
      url: options.listenUrl ?? backend.url,
      ...(options.pollInterval === undefined ? {} : { pollInterval: options.pollInterval })
    }),
    LeadershipLocks.layerPg({
      url: backend.url,
      ...(options.leaderRetryInterval === undefined ? {} : { retryInterval: options.leaderRetryInterval })
    })
  ).pipe(Layer.provideMerge(sql))
}

/**
 * All persistence services over a `SqlClient` the caller provides (an embedding host's own pool): migrations run on
 * it, events go through an in-process bus and leadership is always held, as on PGlite, since no LISTEN connection
 * or advisory lock can be opened from a client Berth did not create. The client must use Berth's name transforms
 * (`Sql.pgLayer` shows them: camelCase in code, snake_case in SQL, JSON untouched).
 */
export const layerOverClient: Layer.Layer<
  Exclude<Services, SqlClient.SqlClient>,
  StartError,
  SqlClient.SqlClient | SecretCipher.SecretCipher
> = Layer.mergeAll(repositories, EventBusMemory.layer, LeadershipLocks.layerLocal).pipe(Layer.provideMerge(migrated()))

/** Production: backend and encryption key from the environment (`DATABASE_URL`, `BERTH_DATA_DIR`, `SECRETS_ENCRYPTION_KEY`). */
export const PersistenceLive: Layer.Layer<
  Services,
  StartError | ConfigError.ConfigError | SecretCipher.MissingEncryptionKey
> = Layer.unwrapEffect(
  Effect.map(BackendConfig, (backend) => layerFor(backend))
).pipe(Layer.provide(SecretCipher.layerConfig))
