/**
 * `POST /workspaces` on the wire (§5.2): the decoded body as core's `CreateRequest` (absent and null alike), and
 * core's `Created` as one of the three 201 bodies (the external connection block rendered here).
 */
import type { CreateRequest } from "@berth/core"
import type { CreatePayload, Created } from "../groups/Workspaces.js"
import { connection } from "./ExternalConnection.js"

const present = <A>(value: A | null | undefined): A | undefined => value ?? undefined

export const toCreateRequest = (p: typeof CreatePayload.Type): CreateRequest.CreateRequest => ({
  name: p.name,
  role: present(p.role),
  template: present(p.template),
  tier: present(p.tier),
  model: present(p.model),
  runtime: present(p.runtime),
  external: present(p.external),
  url: present(p.url),
  workspaceDir: present(p.workspace_dir),
  workspaceAccess: present(p.workspace_access),
  parentId: present(p.parent_id),
  budgetLimit: present(p.budget_limit),
  secrets: present(p.secrets),
  maxConcurrentTasks: present(p.max_concurrent_tasks),
  hibernationIdleMinutes: p.hibernation_idle_minutes,
  canvas: p.canvas == null ? undefined : { x: present(p.canvas.x), y: present(p.canvas.y) },
  deliveryMode: present(p.delivery_mode)
})

export const toCreated = (c: CreateRequest.Created): typeof Created.Type => {
  switch (c._tag) {
    case "Online":
      return { id: c.id, external: true, status: "online" }
    case "AwaitingAgent":
      return { id: c.id, external: true, status: "awaiting_agent", connection: connection(c.platformUrl, c.id, c.token) }
    case "Provisioning":
      return { id: c.id, status: "provisioning", awareness_namespace: c.awarenessNamespace, workspace_access: c.workspaceAccess }
  }
}
