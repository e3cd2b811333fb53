/**
 * Example (c): Berth from plain async code. Creates an external workspace, registers its agent and heartbeats it,
 * then checks it is online and that a missing workspace rejects with core's typed error. DATABASE_URL set → Postgres,
 * else an in-memory PGlite.
 */
import assert from "node:assert/strict"
import { createBerth, Errors } from "@berth/http/embed"

const database = process.env["DATABASE_URL"] ? { postgresUrl: process.env["DATABASE_URL"] } : { dataDir: "memory://" }
const berth = await createBerth({ database, backgroundLoops: false })
try {
  const seen: Array<string> = []
  const unsubscribe = await berth.events.subscribe((event) => seen.push(event.type))

  const created = await berth.workspaces.create({ name: "Example Agent", external: true }, { platformUrl: "https://example.test/berth" })
  assert.equal(created._tag, "AwaitingAgent")
  if (created._tag !== "AwaitingAgent") throw new Error("unreachable")
  await berth.registry.register({ id: created.id, agentCard: { name: "example" }, deliveryMode: "poll", token: created.token })
  await berth.registry.heartbeat({ id: created.id, token: created.token, activeTasks: 0 })
  assert.equal((await berth.workspaces.get(created.id)).workspace.status, "online")
  assert.ok(seen.includes("WORKSPACE_ONLINE"), `events seen: ${seen.join(", ")}`)
  await unsubscribe()

  await assert.rejects(berth.workspaces.get("00000000-0000-4000-8000-00000000dead"), Errors.WorkspaceNotFound)
  await berth.workspaces.remove(created.id)
  console.log(`promise-api: ${created.id} registered, online, removed`)
} finally {
  await berth.close()
}
