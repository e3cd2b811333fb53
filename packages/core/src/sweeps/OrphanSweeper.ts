/**
 * Orphan sweeper (contract §7.3), Docker mode only: three independent passes over one listing of the managed
 * containers, the whole cycle under a 30 s deadline. Containers are matched to rows by name: `ws-<id>` by id, a
 * legacy `ws-<12 chars>` by id prefix. (1) running containers of `removed` rows and (2) containers matching no row
 * are removed by their listed name, then their volumes (a failed removal keeps them for the next cycle); (3) live
 * tokens older than the grace period of workspaces without a running container are revoked (never external ones:
 * the repository's statements exempt them, and repeat the staleness condition so a token minted meanwhile survives).
 */
import { Duration, Effect, Option } from "effect"
import type { ManagedWorkload } from "../ports/ManagedContainers.js"
import { ManagedContainers } from "../ports/ManagedContainers.js"
import { TokenRepository } from "../ports/TokenRepository.js"
import { SweepCandidates } from "../ports/SweepCandidates.js"
import type { WorkspaceRef } from "../ports/WorkspaceRecords.js"
import * as WorkspaceIdModule from "../domain/WorkspaceId.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"

/** §7.3 pass 3: a token unused for this long, of a workspace without a container, is stale. Database time. */
export const STALE_TOKEN_GRACE_SECONDS = 5 * 60

/** §7.3: the deadline of one sweeper cycle. */
export const CYCLE_DEADLINE = Duration.seconds(30)

/** Who a managed container belongs to, read from its name (§8.2 `ws-<id>`, legacy `ws-<first 12 chars of id>`). */
export type ContainerOwner =
  | { readonly _tag: "Workspace"; readonly id: WorkspaceId }
  | { readonly _tag: "Legacy"; readonly prefix: string }
  | { readonly _tag: "Unrecognised" }

const fullName = /^ws-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i
const legacyName = /^ws-([0-9a-f-]{12})$/i

/** Reads a container name: the full id, a legacy 12-character prefix, or neither. */
export const ownerOf = (name: string): ContainerOwner => {
  const full = fullName.exec(name)
  if (full?.[1] !== undefined) return { _tag: "Workspace", id: WorkspaceIdModule.unsafeMake(full[1].toLowerCase()) }
  const legacy = legacyName.exec(name)
  if (legacy?.[1] !== undefined) return { _tag: "Legacy", prefix: legacy[1].toLowerCase() }
  return { _tag: "Unrecognised" }
}

/** Whether one of `names` is workspace `id`'s container, under its full or its legacy name. */
export const hasContainer = (names: ReadonlySet<string>, id: WorkspaceId): boolean =>
  names.has(`ws-${id}`) || names.has(`ws-${id.slice(0, 12)}`)

/**
 * The rows each container's name points at: its full id's row, or every row whose id starts with a legacy name's
 * 12 characters; `undefined` for a name that is neither, which no pass ever touches. Two lookups, both set-based.
 */
const rowsByContainer = (containers: ReadonlyArray<ManagedWorkload>) =>
  Effect.gen(function* () {
    const candidates = yield* SweepCandidates
    const owners = new Map(containers.map((c) => [c.name, ownerOf(c.name)] as const))
    const ids = [...owners.values()].flatMap((o) => (o._tag === "Workspace" ? [o.id] : []))
    const prefixes = [...owners.values()].flatMap((o) => (o._tag === "Legacy" ? [o.prefix] : []))
    const rows = [...yield* candidates.refs(ids), ...yield* candidates.refsByIdPrefix(prefixes)]
    return (c: ManagedWorkload): ReadonlyArray<WorkspaceRef> | undefined => {
      const owner = owners.get(c.name)
      if (owner?._tag === "Workspace") return rows.filter((r) => r.id === owner.id)
      if (owner?._tag === "Legacy") return rows.filter((r) => r.id.startsWith(owner.prefix))
      return undefined
    }
  })

/** The container goes, then its volumes (the port keeps them when the container stays); failures wait for the next cycle. */
const removeContainer = (name: string) =>
  Effect.flatMap(ManagedContainers, (managed) => managed.removeManaged(name)).pipe(
    Effect.catchAll((e) => Effect.logWarning(`Orphan sweeper: removing ${name} failed, the rest waits for the next cycle`, e))
  )

/**
 * Pass 1: running managed containers whose workspace row is `removed`. A legacy name whose prefix also matches a
 * row that is not removed is left: it may be that workspace's container.
 */
export const removedRowsPass = (containers: ReadonlyArray<ManagedWorkload>) =>
  Effect.gen(function* () {
    const running = containers.filter((c) => c.running)
    const rowsOf = yield* rowsByContainer(running)
    for (const c of running) {
      const rows = rowsOf(c) ?? []
      if (rows.length === 0 || !rows.every((r) => r.status === "removed")) continue
      yield* Effect.logInfo(`Orphan sweeper: stopping container ${c.name} of removed workspace ${rows.map((r) => r.id).join(", ")}`)
      yield* removeContainer(c.name)
    }
  })

/** Pass 2: managed containers matching no workspace row (a wiped database), running or not. */
export const wipedDatabasePass = (containers: ReadonlyArray<ManagedWorkload>) =>
  Effect.gen(function* () {
    const rowsOf = yield* rowsByContainer(containers)
    for (const c of containers) {
      if (rowsOf(c)?.length !== 0) continue
      yield* Effect.logInfo(`Orphan sweeper: container ${c.name} matches no workspace row — removing it`)
      yield* removeContainer(c.name)
    }
  })

/**
 * Pass 3: workspaces holding stale live tokens and no running managed container. An empty container list is no
 * short-circuit (then every candidate qualifies); a revoke error ends the pass until the next cycle.
 */
export const staleTokensPass = (containers: ReadonlyArray<ManagedWorkload>) =>
  Effect.gen(function* () {
    const tokens = yield* TokenRepository
    const running = new Set(containers.filter((c) => c.running).map((c) => c.name))
    for (const id of yield* tokens.staleTokenWorkspaces(STALE_TOKEN_GRACE_SECONDS)) {
      if (hasContainer(running, id)) continue
      yield* Effect.logInfo(`Orphan sweeper: revoking stale tokens for workspace ${id} (no live container; volume likely wiped)`)
      yield* tokens.revokeStale(id, STALE_TOKEN_GRACE_SECONDS)
    }
  })

const isolated = <E, R>(name: string, pass: Effect.Effect<void, E, R>) =>
  Effect.catchAllCause(pass, (cause) => Effect.logError(`Orphan sweeper: ${name} pass failed`, cause))

/**
 * One sweeper cycle. Nothing without managed containers (Docker mode only). Without the container listing no pass runs: pass 3 would take
 * every workspace for containerless and revoke its tokens.
 */
export const pass = Effect.gen(function* () {
  const backend = yield* Effect.serviceOption(ManagedContainers)
  if (Option.isNone(backend)) return
  const managed = backend.value
  const listed = yield* Effect.either(managed.listManaged)
  if (listed._tag === "Left") return yield* Effect.logWarning("Orphan sweeper: listing managed containers failed, skipping this cycle", listed.left)
  const containers = listed.right
  yield* isolated("removed rows", removedRowsPass(containers)).pipe(Effect.provideService(ManagedContainers, managed))
  yield* isolated("wiped-database orphans", wipedDatabasePass(containers)).pipe(Effect.provideService(ManagedContainers, managed))
  yield* isolated("stale tokens", staleTokensPass(containers))
}).pipe(
  Effect.timeout(CYCLE_DEADLINE),
  Effect.catchTag("TimeoutException", () =>
    Effect.logWarning(`Orphan sweeper: cycle exceeded ${Duration.format(CYCLE_DEADLINE)}, the rest waits for the next cycle`))
)
