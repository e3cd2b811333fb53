/**
 * Read-or-heal of the platform inbound secret (§9.3) for register and heartbeat: core's `InboundSecretHealing`,
 * kept under this name until the registry handlers call the core service themselves.
 */
import type { WorkspaceId } from "@berth/core"
import { InboundSecretHealing } from "@berth/core"
import type { Option } from "effect"
import { Effect } from "effect"

export const readOrHeal = (
  op: "register" | "heartbeat",
  id: WorkspaceId.WorkspaceId,
  known: string | null = null
): Effect.Effect<Option.Option<string>, never, InboundSecretHealing> =>
  Effect.flatMap(InboundSecretHealing, (healing) => healing.readOrHeal(op, id, known))
