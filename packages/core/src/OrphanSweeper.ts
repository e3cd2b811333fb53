/**
 * Orphan sweeper (contract §7.3), Docker mode only: three independent passes over one listing of the managed
 * containers, the whole cycle under a 30 s deadline. (1) running containers of `removed` rows and (2) containers
 * matching no row are stopped, then their volumes removed (a failed stop keeps them for the next cycle); (3) live
 * tokens older than the grace period of workspaces without a running container are revoked (never external ones:
 * the repository's statements exempt them, and repeat the staleness condition so a token minted meanwhile survives).
 */
import { Duration, Effect } from "effect"
import type { ManagedWorkload } from "./ports/Provisioner.js"
import { Provisioner } from "./ports/Provisioner.js"
import { TokenRepository } from "./ports/TokenRepository.js"
import { WorkspaceRepository } from "./ports/WorkspaceRepository.js"
import * as WorkspaceIdModule from "./WorkspaceId.js"
import type { WorkspaceId } from "./WorkspaceId.js"

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

/** The workspace ids named by containers (full names only: the port stops containers by full workspace id). */
const idsOf = (containers: ReadonlyArray<ManagedWorkload>): ReadonlyArray<WorkspaceId> =>
  containers.flatMap((c) => {
    const owner = ownerOf(c.name)
    return owner._tag === "Workspace" ? [owner.id] : []
  })

/** Stop, then (only after a successful stop) remove the volumes; failures are logged and retried next cycle. */
const removeWorkload = (id: WorkspaceId) =>
  Effect.gen(function* () {
    const provisioner = yield* Provisioner
    const stopped = yield* Effect.either(provisioner.stop({ id, instanceId: null }))
    if (stopped._tag === "Left") {
      return yield* Effect.logWarning(`Orphan sweeper: stopping ws-${id} failed, keeping its volumes for the next cycle`, stopped.left)
    }
    yield* provisioner.removeVolume(id).pipe(
      Effect.catchAll((e) => Effect.logWarning(`Orphan sweeper: removing the volumes of ${id} failed`, e))
    )
  })

/** Pass 1: running managed containers whose workspace row is `removed`. */
export const removedRowsPass = (containers: ReadonlyArray<ManagedWorkload>) =>
  Effect.gen(function* () {
    const rows = yield* (yield* WorkspaceRepository).refs(idsOf(containers.filter((c) => c.running)))
    for (const row of rows.filter((r) => r.status === "removed")) {
      yield* Effect.logInfo(`Orphan sweeper: stopping container ws-${row.id} of removed workspace ${row.id}`)
      yield* removeWorkload(row.id)
    }
  })

/** Pass 2: managed containers matching no workspace row (a wiped database). */
export const wipedDatabasePass = (containers: ReadonlyArray<ManagedWorkload>) =>
  Effect.gen(function* () {
    const ids = idsOf(containers)
    const known = new Set((yield* (yield* WorkspaceRepository).refs(ids)).map((r) => r.id))
    for (const id of ids.filter((i) => !known.has(i))) {
      yield* Effect.logInfo(`Orphan sweeper: container ws-${id} matches no workspace row — removing it`)
      yield* removeWorkload(id)
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
 * One sweeper cycle. Nothing outside Docker mode. Without the container listing no pass runs: pass 3 would take
 * every workspace for containerless and revoke its tokens.
 */
export const pass = Effect.gen(function* () {
  const provisioner = yield* Provisioner
  if (provisioner.kind !== "docker") return
  const listed = yield* Effect.either(provisioner.listManaged)
  if (listed._tag === "Left") return yield* Effect.logWarning("Orphan sweeper: listing managed containers failed, skipping this cycle", listed.left)
  const containers = listed.right
  for (const c of containers) {
    if (ownerOf(c.name)._tag === "Legacy") {
      yield* Effect.logDebug(`Orphan sweeper: legacy container ${c.name} is only recognised, not stopped (no full workspace id)`)
    }
  }
  yield* isolated("removed rows", removedRowsPass(containers))
  yield* isolated("wiped-database orphans", wipedDatabasePass(containers))
  yield* isolated("stale tokens", staleTokensPass(containers))
}).pipe(
  Effect.timeout(CYCLE_DEADLINE),
  Effect.catchTag("TimeoutException", () =>
    Effect.logWarning(`Orphan sweeper: cycle exceeded ${Duration.format(CYCLE_DEADLINE)}, the rest waits for the next cycle`))
)
