import { Context } from "effect"
import type { Provisioner } from "./Provisioner.js"

/**
 * Capability of a container backend (Docker): the volumes of a workspace's container and reading files inside it.
 * A backend without containers leaves it out; callers ask with `Effect.serviceOption` (issue 16: being split out of
 * `Provisioner`).
 */
export class ContainerVolumes extends Context.Tag("@berth/core/ContainerVolumes")<
  ContainerVolumes,
  Pick<Provisioner["Type"], "execRead" | "removeVolume" | "volumeHasFile" | "writeAuthTokenToVolume" | "removeWorkspaceData">
>() {}
