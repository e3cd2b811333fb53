/**
 * Peer discovery (§5.11.1): where a workspace may reach another (`discover`), the team it belongs to (`peers`), and the
 * bare hierarchy answer (`checkAccess`). Who may talk to whom is `Hierarchy.canCommunicate`, the one rule of §4.5; the
 * caller proves who it is with the registry token gate (§4.4: a workspace without a live token passes, a failing
 * token lookup passes, logged), unless the edge runs in dev fail-open.
 */
import { Effect, Option } from "effect"
import { PeerForbidden, PeerUnavailable } from "../domain/Errors.js"
import { EXTERNAL } from "../domain/Runtime.js"
import type { WorkspaceId } from "../domain/WorkspaceId.js"
import * as WorkspaceIds from "../domain/WorkspaceId.js"
import type { Workspace } from "../ports/WorkspaceRecords.js"
import { WorkspaceHierarchy } from "../ports/WorkspaceHierarchy.js"
import { WorkspaceStore } from "../ports/WorkspaceStore.js"
import { requireLive } from "../workspaces/LiveWorkspace.js"
import { Hierarchy } from "./Hierarchy.js"
import { TokenGate } from "./TokenGate.js"

/** How the caller authenticates: its bearer, or the edge's dev fail-open (§4.2 rule 2), which skips the token gate. */
export interface DiscoveryCredential {
  readonly bearer: Option.Option<string>
  readonly devFailOpen: boolean
}

/** What `discover` answers: the URL the caller should dial. */
export interface PeerAddress {
  readonly id: WorkspaceId
  readonly url: string
  readonly name: string
}

/** The host name a container reaches its Docker host by. */
export const DOCKER_HOST = "host.docker.internal"

/** The URL a workspace container is reached at on the Berth network (its container name, §11.3, port 8000). */
export const internalUrl = (id: WorkspaceId): string => `http://ws-${id}:8000`

/**
 * An external peer's registered URL as a caller sees it: a container caller cannot dial the host's loopback, so the
 * first `127.0.0.1` and the first `localhost` become `host.docker.internal`; an external caller gets the URL as is.
 */
export const urlForCaller = (url: string, callerIsExternal: boolean): string =>
  callerIsExternal ? url : url.replace("127.0.0.1", DOCKER_HOST).replace("localhost", DOCKER_HOST)

/** Statuses in which a container peer answers on its internal URL. */
const reachable: ReadonlySet<string> = new Set(["online", "degraded"])

/**
 * `peers` (§5.11.1): the direct family of `self` among live rows (the port reads it), ordered — siblings (same parent; roots are siblings of each
 * other), then children, then the parent — each in creation order. Every one of them passes `CanCommunicate`.
 */
export const directFamily = (self: Workspace, rows: ReadonlyArray<Workspace>): ReadonlyArray<Workspace> => [
  ...rows.filter((w) => w.id !== self.id && w.parentId === self.parentId),
  ...rows.filter((w) => w.parentId === self.id),
  ...rows.filter((w) => self.parentId !== null && w.id === self.parentId)
]

/** `?q=`: a case-insensitive substring of the name or the role; blank keeps everyone. */
export const matchesQuery = (q: string) => {
  const needle = q.trim().toLowerCase()
  return (w: Workspace): boolean =>
    needle === "" || w.name.toLowerCase().includes(needle) || (w.role ?? "").toLowerCase().includes(needle)
}

export class Discovery extends Effect.Service<Discovery>()("@berth/core/Discovery", {
  effect: Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const tree = yield* WorkspaceHierarchy
    const hierarchy = yield* Hierarchy
    const gate = yield* TokenGate

    const authenticate = (id: WorkspaceId, credential: DiscoveryCredential) =>
      credential.devFailOpen ? Effect.void : Effect.asVoid(gate.admit(id, credential.bearer))

    /** The caller's id; a header that is no workspace id names nobody the target may talk to. */
    const callerId = (raw: string, target: WorkspaceId) =>
      Effect.mapError(WorkspaceIds.parse(raw), () => new PeerForbidden({ callerId: raw, targetId: target }))

    /**
     * `GET /registry/discover/:id` with `X-Workspace-ID: <caller>`: fails `TokenRejected` (the caller's token),
     * `PeerForbidden`, `WorkspaceNotFound`/`WorkspaceRemoved` (the target) or `PeerUnavailable`.
     */
    const discover = Effect.fn("Discovery.discover")(function* (rawCaller: string, target: WorkspaceId, credential: DiscoveryCredential) {
      const caller = yield* callerId(rawCaller, target)
      yield* authenticate(caller, credential)
      if (!(yield* hierarchy.canCommunicate(caller, target))) {
        return yield* Effect.fail(new PeerForbidden({ callerId: caller, targetId: target }))
      }
      const peer = yield* requireLive(store, target)
      if (peer.runtime === EXTERNAL && (peer.url ?? "") !== "") {
        const callerRow = yield* store.get(caller)
        const callerIsExternal = Option.exists(callerRow, (w) => w.runtime === EXTERNAL)
        return { id: peer.id, url: urlForCaller(peer.url ?? "", callerIsExternal), name: peer.name } satisfies PeerAddress
      }
      if (!reachable.has(peer.status)) return yield* Effect.fail(new PeerUnavailable({ id: peer.id, status: peer.status }))
      return { id: peer.id, url: internalUrl(peer.id), name: peer.name } satisfies PeerAddress
    }, (effect, target) => Effect.annotateLogs(effect, "workspace_id", target))

    /** `GET /registry/:id/peers[?q=]`: fails `TokenRejected` or `WorkspaceNotFound`/`WorkspaceRemoved`. */
    const peers = Effect.fn("Discovery.peers")(function* (id: WorkspaceId, q: string, credential: DiscoveryCredential) {
      yield* authenticate(id, credential)
      const self = yield* requireLive(store, id)
      return directFamily(self, yield* tree.family(self)).filter(matchesQuery(q))
    }, (effect, id) => Effect.annotateLogs(effect, "workspace_id", id))

    /** `POST /registry/check-access`: whether `caller` may talk to `target`; never fails. */
    const checkAccess = Effect.fn("Discovery.checkAccess")(function* (caller: WorkspaceId, target: WorkspaceId) {
      return yield* hierarchy.canCommunicate(caller, target)
    })

    return { discover, peers, checkAccess } as const
  }),
  dependencies: [Hierarchy.Default, TokenGate.Default]
}) {}
