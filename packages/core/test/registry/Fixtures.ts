/** Rows the registry tests start from, written through the real stores. */
import { Schema } from "effect"
import { randomUUID } from "node:crypto"
import { Rows } from "@berth/adapters/testing"
import type { WorkspaceId as Id } from "../../src/domain/WorkspaceId.js"
import { WorkspaceId } from "../../src/domain/WorkspaceId.js"

/** An id no row has. */
export const freshId = (): Id => Schema.decodeSync(WorkspaceId)(randomUUID())

/** A stored `provisioning` external workspace (poll mode), optionally under `parentId`. */
export const storedWorkspace = (parentId: Id | null = null) => Rows.createExternal({ parentId })
