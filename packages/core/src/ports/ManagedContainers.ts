import { Context } from "effect"
import type { Provisioner } from "./Provisioner.js"

/**
 * Capability of a container backend (Docker): the containers it manages, found by name, listed and removed (the
 * orphan sweeper of §7.3, terminal diagnosis). A backend without containers leaves it out; callers ask with
 * `Effect.serviceOption` (issue 16: being split out of `Provisioner`).
 */
export class ManagedContainers extends Context.Tag("@berth/core/ManagedContainers")<
  ManagedContainers,
  Pick<Provisioner["Type"], "listManaged" | "removeManaged" | "locateContainer">
>() {}
