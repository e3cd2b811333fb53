/** StartSpec fixtures for the provisioner adapter tests (Docker and CP). */
import type { StartSpec } from "@berth/core"
import { WorkspaceId } from "@berth/core"
import { randomUUID } from "node:crypto"

/** A fresh workspace id (each test owns its containers and volumes on the shared engine). */
export const freshId = (): WorkspaceId.WorkspaceId => WorkspaceId.unsafeMake(randomUUID())

/** A tier-2 claude-code spec with no template, files or prepared env, unless overridden. */
export const startSpec = (overrides: Partial<StartSpec> = {}): StartSpec => ({
  id: freshId(),
  runtime: "claude-code",
  tier: 2,
  env: {},
  templateDir: null,
  configFiles: {},
  workspaceDir: null,
  workspaceAccess: "none",
  platformUrl: "http://host.docker.internal:8080",
  resetSession: false,
  ...overrides
})
