/**
 * Every status change of a workspace (§2.3), one row each: which statuses it leaves, the status it sets, the event
 * it records and how that event's payload is built, with the contract's `source` (§6). "When does a workspace become
 * `online`?" is answered by the rows whose `to` is `online`. The SQL adapter only compiles rows: it binds `from` and
 * `to` as parameters, always excludes `removed` besides, and records the event in the same statement.
 */
import type { RecordedEventType } from "./Events.js"
import type { EventSource } from "./Events.js"
import type { EventRecord } from "../ports/WorkspaceRecords.js"
import type { WorkspaceId } from "./WorkspaceId.js"
import type { WorkspaceStatus } from "./WorkspaceStatus.js"
import { statuses, terminal } from "./WorkspaceStatus.js"

/** What a row's payload adds besides `source`, stored verbatim in `structure_events.payload`. */
export type Payload = Readonly<Record<string, unknown>>

/** A status change of one row (or, for create, the status a new row is inserted with). */
export interface RowTransition<Input = void> {
  readonly name: string
  /** The statuses the row must be in; empty for create (no row before). `removed` is never among them (§2.3). */
  readonly from: ReadonlyArray<WorkspaceStatus>
  readonly to: WorkspaceStatus
  readonly event: RecordedEventType
  readonly source: EventSource
  /** The payload without `source`, from the per-call values. */
  readonly payload: (input: Input) => Payload
}

/** Which runtimes a sweep acts on: external rows are exempt from every container sweep, and only they are scoped in. */
export type SweepRuntimes = "external" | "containers"

/**
 * Which clock a sweep calls stale: the last heartbeat (never beaten: never stale) or, lacking one, the last update;
 * or `idleSince`, the start of an idle stretch (§2.4), whose threshold is the row's own `hibernation_idle_minutes`
 * when it has one, and which never qualifies a row reporting active tasks.
 */
export type StaleClock = "lastHeartbeat" | "lastHeartbeatOrUpdated" | "idleSince"

/** Workspace columns a sweep may copy into its payload (the adapter maps each to its column). */
export type PayloadColumn = "name" | "tier"

/** A set-based change: every row in `from` of `runtimes` whose `clock` is older than a threshold, one statement. */
export interface SweepTransition {
  readonly name: string
  readonly from: ReadonlyArray<WorkspaceStatus>
  readonly to: WorkspaceStatus
  readonly event: RecordedEventType
  readonly source: EventSource
  readonly runtimes: SweepRuntimes
  readonly clock: StaleClock
  /** The payload without `source`: these constants plus these columns of the changed row. */
  readonly payload: { readonly constants: Payload; readonly columns: ReadonlyArray<PayloadColumn> }
}

/** Every status but `removed` (§2.3 "any but removed"). */
export const anyButRemoved: ReadonlyArray<WorkspaceStatus> = statuses.filter((s) => s !== terminal)

/** The statuses the health sweep and liveness act on (§7.1, §7.2). */
const live: ReadonlyArray<WorkspaceStatus> = ["online", "degraded"]

const none = (): Payload => ({})

/** The values a heartbeat's status rules put into their payloads (§5.11 rule 3). */
export interface BeatSample {
  readonly errorRate: number
  readonly sampleError: string | null
}

/** A restart's `WORKSPACE_PROVISIONING` payload (§5.6 rule 5). */
export interface WorkspaceSummary {
  readonly name: string
  readonly tier: number
  readonly runtime: string
}

const summary = (w: WorkspaceSummary): Payload => ({ name: w.name, tier: w.tier, runtime: w.runtime })
const external = (w: { readonly name: string }): Payload => ({ name: w.name, external: true })
const provisionError = (p: { readonly error: string; readonly extra?: Payload | undefined }): Payload =>
  ({ ...p.extra, error: p.error })

// Create (§5.2 rule 8) and register (§5.11 rule 5) may insert the row; the others change an existing one.

export const created: RowTransition<WorkspaceSummary> = {
  name: "created", from: [], to: "provisioning", event: "WORKSPACE_PROVISIONING", source: "create", payload: summary
}

export const registered: RowTransition<{ readonly url: string | null; readonly agentCard: unknown; readonly deliveryMode: string }> = {
  name: "registered", from: anyButRemoved, to: "online", event: "WORKSPACE_ONLINE", source: "register",
  payload: (r) => ({ url: r.url, agent_card: r.agentCard, delivery_mode: r.deliveryMode })
}

/** An external workspace created with its URL is online at once; without one it waits for its agent (§5.2 rule 11). */
export const externalOnline: RowTransition<{ readonly name: string }> = {
  name: "externalOnline", from: ["provisioning"], to: "online", event: "WORKSPACE_ONLINE", source: "create", payload: external
}

export const externalAwaiting: RowTransition<{ readonly name: string }> = {
  name: "externalAwaiting", from: ["provisioning"], to: "awaiting_agent", event: "WORKSPACE_AWAITING_AGENT", source: "create",
  payload: external
}

// The heartbeat's rules (§5.11 rule 3): one row per outcome, each guarded on exactly the status the beat read.

export const heartbeatWedged: RowTransition<BeatSample> = {
  name: "heartbeatWedged", from: ["online"], to: "degraded", event: "WORKSPACE_DEGRADED", source: "heartbeat",
  payload: (b) => ({ runtime_state: "wedged", sample_error: b.sampleError })
}

export const heartbeatErrorRate: RowTransition<BeatSample> = {
  name: "heartbeatErrorRate", from: ["online"], to: "degraded", event: "WORKSPACE_DEGRADED", source: "heartbeat",
  payload: (b) => ({ error_rate: b.errorRate, sample_error: b.sampleError })
}

export const heartbeatRecovered: RowTransition<BeatSample> = {
  name: "heartbeatRecovered", from: ["degraded"], to: "online", event: "WORKSPACE_ONLINE", source: "heartbeat", payload: none
}

export const heartbeatBack: RowTransition<BeatSample> = {
  name: "heartbeatBack", from: ["offline"], to: "online", event: "WORKSPACE_ONLINE", source: "heartbeat", payload: none
}

export const heartbeatFromProvisioning: RowTransition<BeatSample> = {
  name: "heartbeatFromProvisioning", from: ["provisioning"], to: "online", event: "WORKSPACE_ONLINE", source: "heartbeat",
  payload: () => ({ recovered_from: "provisioning" })
}

export const heartbeatFromAwaiting: RowTransition<BeatSample> = {
  name: "heartbeatFromAwaiting", from: ["awaiting_agent"], to: "online", event: "WORKSPACE_ONLINE", source: "heartbeat",
  payload: () => ({ recovered_from: "awaiting_agent" })
}

// Restarts (§5.6 rule 5, §7.2): any status but removed → provisioning; the caller clears `url`.

export const userRestart: RowTransition<WorkspaceSummary> = {
  name: "userRestart", from: anyButRemoved, to: "provisioning", event: "WORKSPACE_PROVISIONING", source: "user_restart",
  payload: summary
}

export const autoRestart: RowTransition<WorkspaceSummary> = {
  name: "autoRestart", from: anyButRemoved, to: "provisioning", event: "WORKSPACE_PROVISIONING", source: "auto_restart",
  payload: summary
}

// Provision failures (§8.1 step 6, §7.5, §5.12): provisioning → failed; the caller sets `last_sample_error`.

/** Input of the pipeline's failures: the message, and extra payload fields before it. */
export interface ProvisionError {
  readonly error: string
  readonly extra?: Payload | undefined
}

export const provisionFailed: RowTransition<ProvisionError> = {
  name: "provisionFailed", from: ["provisioning"], to: "failed", event: "WORKSPACE_PROVISION_FAILED", source: "provision",
  payload: provisionError
}

export const provisionDefect: RowTransition<ProvisionError> = {
  name: "provisionDefect", from: ["provisioning"], to: "failed", event: "WORKSPACE_PROVISION_FAILED",
  source: "provision_defect", payload: provisionError
}

export const noBackend: RowTransition<ProvisionError> = {
  name: "noBackend", from: ["provisioning"], to: "failed", event: "WORKSPACE_PROVISION_FAILED", source: "no_backend",
  payload: provisionError
}

/** §7.5: guarded again on age in the write (`olderThanSeconds`), since a restart starts a fresh deadline. */
export const provisionTimedOut: RowTransition<{ readonly error: string; readonly timeoutSecs: number; readonly runtime: string }> = {
  name: "provisionTimedOut", from: ["provisioning"], to: "failed", event: "WORKSPACE_PROVISION_FAILED",
  source: "provision_timeout_sweep",
  payload: (t) => ({ error: t.error, timeout_secs: t.timeoutSecs, runtime: t.runtime })
}

export const bootstrapFailed: RowTransition<{ readonly error: string; readonly logTail: string }> = {
  name: "bootstrapFailed", from: ["provisioning"], to: "failed", event: "WORKSPACE_PROVISION_FAILED",
  source: "bootstrap_watcher", payload: (b) => ({ error: b.error, log_tail: b.logTail })
}

/** Statuses whose workload is stopped on purpose (§2.4): no sweep calls its absence a fault. */
export const stoppedOnPurpose: ReadonlyArray<WorkspaceStatus> = ["paused", "hibernating", "hibernated"]

/** Health sweep Docker pass (§7.1): a live container row whose container is gone; never from provisioning nor a stop on purpose. */
export const containerGone: RowTransition = {
  name: "containerGone", from: anyButRemoved.filter((s) => s !== "provisioning" && !stoppedOnPurpose.includes(s)), to: "offline", event: "WORKSPACE_OFFLINE",
  source: "health_sweep", payload: none
}

/** The A2A proxy could not reach a container agent and the engine says its workload is not running (§5.13); then auto-restarted. */
export const agentUnreachable: RowTransition = {
  name: "agentUnreachable", from: containerGone.from, to: "offline", event: "WORKSPACE_OFFLINE", source: "a2a_proxy", payload: none
}

/** Delete (§5.5): the root's event counts the descendants removed with it. */
export const deleted: RowTransition<{ readonly cascadeDeleted?: number | undefined }> = {
  name: "deleted", from: anyButRemoved, to: terminal, event: "WORKSPACE_REMOVED", source: "delete",
  payload: (d) => (d.cascadeDeleted === undefined ? {} : { cascade_deleted: d.cascadeDeleted })
}

// Pause, resume, hibernation and wake (§2.4); the caller clears `url` where the workload stops.

/** What the hibernation rows name. */
export interface Named {
  readonly name: string
  readonly tier: number
}

/** Pause: any status but removed and paused; one event per workspace of the cascade. */
export const paused: RowTransition<Named> = {
  name: "paused", from: anyButRemoved.filter((s) => s !== "paused"), to: "paused", event: "WORKSPACE_PAUSED", source: "pause",
  payload: (w) => ({ name: w.name })
}

/** Resume of a paused container workspace: provisioned again from its kept volumes. */
export const resumed: RowTransition<WorkspaceSummary> = {
  name: "resumed", from: ["paused"], to: "provisioning", event: "WORKSPACE_PROVISIONING", source: "resume", payload: summary
}

/** Resume of a paused external workspace: only the status changes; its agent comes back by itself. */
export const resumedExternal: RowTransition<{ readonly name: string }> = {
  name: "resumedExternal", from: ["paused"], to: "awaiting_agent", event: "WORKSPACE_AWAITING_AGENT", source: "resume",
  payload: external
}

/** The atomic claim that makes one hibernation the only one: nothing else leaves `hibernating` but the rows below. */
export const hibernateClaimed: RowTransition<Named> = {
  name: "hibernateClaimed", from: live, to: "hibernating", event: "WORKSPACE_HIBERNATING", source: "hibernate",
  payload: (w) => ({ name: w.name })
}

/** Why a hibernation did not happen: the stop's failure, recorded in the event and in `last_sample_error`. */
export interface HibernateFailure {
  readonly name: string
  readonly error: string
}

const hibernateFailure = (restored: "online" | "degraded") => (f: HibernateFailure): Payload =>
  ({ name: f.name, error: f.error, restored_status: restored })

/**
 * The rows that end a hibernation claimed by `source`: hibernated, or — the stop failed — the status the claim left
 * back (one row per prior status, since a row has one `to`).
 */
const hibernationEnd = (source: Extract<EventSource, "hibernate" | "idle_sweep">, prefix: string) => ({
  done: {
    name: `${prefix}ibernated`, from: ["hibernating"], to: "hibernated", event: "WORKSPACE_HIBERNATED", source,
    payload: (w: Named): Payload => ({ name: w.name, tier: w.tier })
  } satisfies RowTransition<Named>,
  failedOnline: {
    name: `${prefix}ibernateFailedOnline`, from: ["hibernating"], to: "online", event: "WORKSPACE_HIBERNATE_FAILED", source,
    payload: hibernateFailure("online")
  } satisfies RowTransition<HibernateFailure>,
  failedDegraded: {
    name: `${prefix}ibernateFailedDegraded`, from: ["hibernating"], to: "degraded", event: "WORKSPACE_HIBERNATE_FAILED", source,
    payload: hibernateFailure("degraded")
  } satisfies RowTransition<HibernateFailure>
})

/** The ends of a hibernation through the route. */
const routeEnd = hibernationEnd("hibernate", "h")
export const hibernated: RowTransition<Named> = routeEnd.done
export const hibernateFailedOnline: RowTransition<HibernateFailure> = routeEnd.failedOnline
export const hibernateFailedDegraded: RowTransition<HibernateFailure> = routeEnd.failedDegraded

/** The ends of an idle-sweep hibernation (§2.4): the same changes, with the sweep's `source`. */
const idleEnd = hibernationEnd("idle_sweep", "idleH")
export const idleHibernated: RowTransition<Named> = idleEnd.done
export const idleHibernateFailedOnline: RowTransition<HibernateFailure> = idleEnd.failedOnline
export const idleHibernateFailedDegraded: RowTransition<HibernateFailure> = idleEnd.failedDegraded

/** Wake (restart or resume of a hibernated workspace): provisioned again from its kept volumes. */
export const woken: RowTransition<WorkspaceSummary> = {
  name: "woken", from: ["hibernated"], to: "provisioning", event: "WORKSPACE_PROVISIONING", source: "wake", payload: summary
}

// Sweeps (§7.1, §7.2): one statement each over every qualifying row.

/** Health sweep remote pass: stale external rows wait for their agent again; no restart. */
export const remoteStale: SweepTransition = {
  name: "remoteStale", from: live, to: "awaiting_agent", event: "WORKSPACE_AWAITING_AGENT", source: "health_sweep",
  runtimes: "external", clock: "lastHeartbeatOrUpdated", payload: { constants: { external: true }, columns: ["name"] }
}

/** Liveness: container rows whose heartbeat went quiet are offline (then auto-restarted by the caller). */
export const livenessOffline: SweepTransition = {
  name: "livenessOffline", from: live, to: "offline", event: "WORKSPACE_OFFLINE", source: "liveness",
  runtimes: "containers", clock: "lastHeartbeat", payload: { constants: {}, columns: [] }
}

/**
 * The idle sweep's claims (§2.4): container rows idle for their threshold → `hibernating`, one rule per status left so
 * a failed stop can put that status back (`restore` in the payload).
 */
export const idleOnline: SweepTransition = {
  name: "idleOnline", from: ["online"], to: "hibernating", event: "WORKSPACE_HIBERNATING", source: "idle_sweep",
  runtimes: "containers", clock: "idleSince", payload: { constants: { restore: "online" }, columns: ["name", "tier"] }
}

export const idleDegraded: SweepTransition = {
  name: "idleDegraded", from: ["degraded"], to: "hibernating", event: "WORKSPACE_HIBERNATING", source: "idle_sweep",
  runtimes: "containers", clock: "idleSince", payload: { constants: { restore: "degraded" }, columns: ["name", "tier"] }
}

/** The one table, every row once. */
export const rows: ReadonlyArray<RowTransition<never>> = [
  created, registered, externalOnline, externalAwaiting,
  heartbeatWedged, heartbeatErrorRate, heartbeatRecovered, heartbeatBack, heartbeatFromProvisioning, heartbeatFromAwaiting,
  userRestart, autoRestart, provisionFailed, provisionDefect, noBackend, provisionTimedOut, bootstrapFailed,
  containerGone, agentUnreachable, deleted,
  paused, resumed, resumedExternal, hibernateClaimed, hibernated, hibernateFailedOnline, hibernateFailedDegraded, woken,
  idleHibernated, idleHibernateFailedOnline, idleHibernateFailedDegraded
]

export const sweeps: ReadonlyArray<SweepTransition> = [remoteStale, livenessOffline, idleOnline, idleDegraded]

/** The event a row records for these per-call values: its payload with the row's `source`. */
export const eventFor = <Input>(row: RowTransition<Input>, input: Input): EventRecord => ({
  type: row.event,
  payload: { ...row.payload(input), source: row.source }
})

/** Columns a status change may write besides `status` and `updated_at`; an absent key leaves the column alone. */
export interface ExtraColumns {
  readonly url?: string | null | undefined
  readonly lastSampleError?: string | null | undefined
  readonly instanceId?: string | null | undefined
  /** Only ever cleared: a stopped workload's idle stretch ends with it (§2.4). */
  readonly idleSince?: null | undefined
}

/** One application of a row to one workspace: the status write's input (`StatusWrites.transition`). */
export interface StatusChange<Input = void> {
  readonly id: WorkspaceId
  readonly row: RowTransition<Input>
  /** The row's per-call payload values (`undefined` for a row that takes none). */
  readonly input: Input
  readonly set?: ExtraColumns | undefined
  /** Also require `updated_at` older than this many seconds (the provision-timeout race guard, §7.5). */
  readonly olderThanSeconds?: number | undefined
}

/** One run of a sweep row (`StatusWrites.transitionWhere`). */
export interface SweepChange {
  readonly rule: SweepTransition
  /** How old the rule's clock must be, in seconds; null: never (for `idleSince`: only rows with a threshold of their own). */
  readonly staleAfterSeconds: number | null
  /** "Now" for the comparison: the service's clock (the idle sweep), else database time. */
  readonly asOf?: Date | undefined
}
