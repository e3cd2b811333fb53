import { CpServer } from "@berth/adapters/testing"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"

/** A plain client, so the server is tested apart from the provisioner. */
const call = (url: string, method: string, body?: string) =>
  Effect.promise(async () => {
    const response = await fetch(url, { method, ...(body === undefined ? {} : { body }) })
    return { status: response.status, body: await response.text(), type: response.headers.get("content-type") }
  })

describe("CpServer", () => {
  it.scoped("routes the CP operations, keeps machines, and answers an unknown route 404", () =>
    Effect.gen(function* () {
      const cp = yield* CpServer.make
      const made = yield* call(`${cp.url}/cp/workspaces/provision`, "POST", JSON.stringify({ workspace_id: "w1" }))
      expect(made.status).toBe(201)
      const { instance_id } = JSON.parse(made.body) as { instance_id: string }
      expect((yield* cp.machines).get("w1")).toBe(instance_id)
      const status = yield* call(`${cp.url}/cp/workspaces/w1/status?instance_id=${instance_id}`, "GET")
      expect(JSON.parse(status.body)).toEqual({ state: "running" })
      expect((yield* call(`${cp.url}/cp/admin/workspaces/w1/console`, "GET")).status).toBe(200)
      expect((yield* call(`${cp.url}/cp/workspaces/w1?instance_id=${instance_id}`, "DELETE")).status).toBe(200)
      expect((yield* cp.machines).size).toBe(0)
      expect((yield* call(`${cp.url}/elsewhere`, "GET")).status).toBe(404)
      expect((yield* cp.requests()).map((r) => r.operation)).toEqual(["provision", "status", "console", "stop", "unknown"])
      expect((yield* cp.requests("stop"))[0]).toMatchObject({ workspaceId: "w1", query: { instance_id } })
    }))

  it.scoped("scripts queue per operation for their number of requests, then the default answers again", () =>
    Effect.gen(function* () {
      const cp = yield* CpServer.make
      yield* cp.answer("status", CpServer.respond(503, "busy"), { times: 2 })
      yield* cp.answer("status", CpServer.respond(200, { state: "stopping" }, { delay: "20 millis" }), { times: 1 })
      const statuses = []
      for (let i = 0; i < 4; i++) statuses.push(yield* call(`${cp.url}/cp/workspaces/w1/status`, "GET"))
      expect(statuses.map((s) => [s.status, s.body])).toEqual([
        [503, "busy"],
        [503, "busy"],
        [200, `{"state":"stopping"}`],
        [200, `{"state":"terminated"}`]
      ])
      expect(statuses[0]?.type).toBe("text/plain; charset=utf-8")
      expect(statuses[2]?.type).toBe("application/json")
    }))

  it.scoped("reset forgets scripts, requests and machines", () =>
    Effect.gen(function* () {
      const cp = yield* CpServer.make
      yield* cp.answer("console", CpServer.respond(500))
      yield* call(`${cp.url}/cp/workspaces/provision`, "POST", JSON.stringify({ workspace_id: "w1" }))
      yield* cp.reset
      expect(yield* cp.requests()).toEqual([])
      expect((yield* cp.machines).size).toBe(0)
      expect((yield* call(`${cp.url}/cp/admin/workspaces/w1/console`, "GET")).status).toBe(200)
    }))
})
