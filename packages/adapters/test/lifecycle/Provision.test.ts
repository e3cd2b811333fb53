/** The provisioning pipeline (§8.1, §8.2 preflight) over PGlite and a scripted backend. */
import { SqlClient } from "@effect/sql"
import type { StartSpec, WorkspaceId } from "@berth/core"
import {
  Errors, EventLog, InboundSecrets, ProvisionPipeline, SecretRepository, TokenRepository, WorkspaceStore
} from "@berth/core"
import { expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as path from "node:path"
import { create } from "../sql/RepositorySuite.js"
import { configsDir, persistence, PLATFORM_URL, withLifecycle } from "./Harness.js"
import type { Harness } from "./Harness.js"
import { failure } from "./ScriptedProvisioner.js"

const generated = { _tag: "Generated", configYaml: "name: \"ws\"\nruntime: claude-code\n" } as const

/** The recorded `WORKSPACE_PROVISION_FAILED` payloads of a workspace. */
const failures = (id: WorkspaceId.WorkspaceId) =>
  Effect.map(Effect.flatMap(EventLog, (log) => log.latest(100, id)), (events) =>
    events.filter((e) => e.type === "WORKSPACE_PROVISION_FAILED").map((e) => e.payload))

const row = (id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(WorkspaceStore, (store) => Effect.flatMap(store.get(id), (o) => Effect.orDie(o)))

/** The spec the engine started the workspace's current container with. */
const startedSpec = (h: Harness, id: WorkspaceId.WorkspaceId) =>
  Effect.flatMap(h.engine.container(id), (c) => Effect.orDie(Option.flatMap(c, (x) => Option.fromNullable(x.spec))))

layer(persistence, { timeout: "60 seconds" })("provisioning pipeline", (it) => {
  it.effect("seven provisions in parallel each log their entry line and reach exactly one outcome", () =>
    Effect.gen(function* () {
      const ids = yield* Effect.forEach([0, 1, 2, 3, 4, 5, 6], (n) => create({ name: `p${n}` }))
      const failing = new Set(ids.slice(3, 5))
      const dying = new Set(ids.slice(5))
      yield* withLifecycle({
        kind: "docker",
        beforeStart: (spec) =>
          failing.has(spec.id) ? Effect.fail(failure("start", spec.id, 500))
          : dying.has(spec.id) ? Effect.die(new Error("engine exploded"))
          : Effect.void
      }, (h) => Effect.gen(function* () {
        yield* Effect.forEach(ids, (id) => h.lifecycle.provisionInBackground(id, generated), { concurrency: "unbounded" })
        yield* h.awaitIdle
        for (const id of ids) {
          const entries = h.logs().filter((l) => l === `Provisioner: provision entered for ${id} (runtime=claude-code, mode=docker)`)
          expect(entries).toHaveLength(1)
          const ws = yield* row(id)
          const failed = yield* failures(id)
          if (failing.has(id)) {
            expect([ws.status, ws.lastSampleError]).toEqual(["failed", "workspace start failed"])
            expect(failed).toEqual([{ error: "workspace start failed", source: "provision" }])
          } else if (dying.has(id)) {
            expect([ws.status, ws.lastSampleError]).toEqual(["failed", "provision defect: engine exploded"])
            expect(failed).toEqual([{ error: "provision defect: engine exploded", source: "provision_defect" }])
          } else {
            const container = yield* h.engine.container(id)
            expect(Option.isSome(container) && container.value.running).toBe(true)
            expect([ws.status, ws.url]).toEqual(["provisioning", `http://127.0.0.1:${20000 + (Option.getOrThrow(container).generation)}`])
            expect(failed).toEqual([])
          }
        }
      }))
    }))

  it.effect("a defect marks the workspace failed, records the event once, and the layer keeps provisioning", () =>
    Effect.gen(function* () {
      const doomed = yield* create({ name: "doomed" })
      const next = yield* create({ name: "next" })
      yield* withLifecycle({
        kind: "docker",
        beforeStart: (spec) => (spec.id === doomed ? Effect.die(new Error("null pointer in the engine")) : Effect.void)
      }, (h) => Effect.gen(function* () {
        yield* h.lifecycle.provisionInBackground(doomed, generated)
        yield* h.awaitIdle
        expect((yield* row(doomed)).lastSampleError).toBe("provision defect: null pointer in the engine")
        expect(yield* failures(doomed)).toEqual([{ error: "provision defect: null pointer in the engine", source: "provision_defect" }])
        yield* h.lifecycle.provisionInBackground(next, generated)
        yield* h.awaitIdle
        expect((yield* row(next)).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      }))
    }))

  it.effect("no backend: the row is failed with the contract's reason before provisionInBackground returns", () =>
    Effect.gen(function* () {
      const id = yield* create({ name: "nobackend" })
      yield* withLifecycle({ kind: "none" }, (h) => Effect.gen(function* () {
        yield* h.lifecycle.provisionInBackground(id, generated)
        const ws = yield* row(id)
        expect([ws.status, ws.lastSampleError]).toEqual(["failed", ProvisionPipeline.NO_BACKEND_REASON])
        expect(yield* failures(id)).toEqual([{ error: ProvisionPipeline.NO_BACKEND_REASON, source: "no_backend" }])
      }))
    }))

  it.effect("Docker mint: old tokens revoked, a fresh live token on the volume before start, a new inbound secret cached", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenRepository
      const id = yield* create({ name: "minted" })
      const old = yield* tokens.issue(id)
      yield* withLifecycle({ kind: "docker" }, (h) => Effect.gen(function* () {
        yield* h.lifecycle.provisionInBackground(id, generated)
        yield* h.awaitIdle
        // The engine refuses a start unless the volume already holds the handed-over token and it is live.
        const spec = yield* startedSpec(h, id)
        const token = spec.configFiles[".auth_token"] ?? ""
        expect(yield* tokens.validate(id, token)).toBe(true)
        expect(yield* tokens.validate(id, old.token)).toBe(false)
        expect((yield* h.engine.state).volumes.get(id)?.files[".auth_token"]).toBe(token)
        const secret = yield* (yield* InboundSecrets).readInboundSecret(id)
        expect(spec.configFiles[".platform_inbound_secret"]).toBe(secret)
        // Written through: the cache answers without loading.
        expect(yield* h.cache.get(id, Effect.die("the cache should not load"))).toBe(secret)
        expect(spec.configFiles["config.yaml"]).toBe(generated.configYaml)
      }))
    }))

  it.effect("CP mint: tokens revoked and none issued (register mints), inbound secret issued, instance id stored", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenRepository
      const id = yield* create({ name: "cp-minted" })
      yield* tokens.issue(id)
      yield* withLifecycle({ kind: "cp" }, (h) => Effect.gen(function* () {
        yield* h.lifecycle.provisionInBackground(id, generated)
        yield* h.awaitIdle
        expect(yield* tokens.hasLive(id)).toBe(false)
        const ws = yield* row(id)
        const machine = [...(yield* h.engine.state).machines].find(([, owner]) => owner === id)
        expect(ws.instanceId).toBe(machine?.[0])
        expect(ws.status).toBe("provisioning")
        expect(yield* (yield* InboundSecrets).readInboundSecret(id)).toHaveLength(43)
      }))
    }))

  it.effect("prepare: secrets (workspace over global), git identity, model env, role, parent and the platform URL", () =>
    Effect.gen(function* () {
      const secrets = yield* SecretRepository
      const parent = yield* create({ name: "lead" })
      const id = yield* create({ name: "Docs Bot (v2)", role: "Summarises papers", runtime: "hermes", parentId: parent })
      yield* secrets.putGlobal("LIFECYCLE_SHARED", "global")
      yield* secrets.putGlobal("LIFECYCLE_GLOBAL_ONLY", "g")
      yield* secrets.putWorkspace(id, "LIFECYCLE_SHARED", "workspace")
      yield* secrets.putWorkspace(id, "MODEL_PROVIDER", "minimax/MiniMax-M2.7")
      yield* secrets.putWorkspace(id, "GIT_AUTHOR_EMAIL", "operator@example.com")
      yield* withLifecycle({ kind: "docker" }, (h) => Effect.gen(function* () {
        yield* h.lifecycle.provisionInBackground(id, generated)
        yield* h.awaitIdle
        const spec: StartSpec = yield* startedSpec(h, id)
        expect(spec.runtime).toBe("hermes")
        expect(spec.platformUrl).toBe(PLATFORM_URL)
        expect(spec.env).toMatchObject({
          LIFECYCLE_SHARED: "workspace",
          LIFECYCLE_GLOBAL_ONLY: "g",
          MODEL: "minimax/MiniMax-M2.7",
          HERMES_DEFAULT_MODEL: "minimax/MiniMax-M2.7",
          GIT_AUTHOR_NAME: "Molecule AI Docs Bot (v2)",
          GIT_AUTHOR_EMAIL: "operator@example.com",
          GIT_COMMITTER_NAME: "Molecule AI Docs Bot (v2)",
          GIT_COMMITTER_EMAIL: "docs-bot-v2@agents.moleculesai.app",
          MOLECULE_AGENT_ROLE: "Summarises papers",
          PARENT_ID: parent
        })
      }))
    }))

  it.effect("a workspace secret that cannot be decrypted fails the provision with the contract's message", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const id = yield* create({ name: "undecryptable" })
      yield* sql`INSERT INTO workspace_secrets (workspace_id, key, encrypted_value, encryption_version)
        VALUES (${id}, 'BROKEN', decode('00', 'hex'), 1)`
      yield* withLifecycle({ kind: "docker" }, (h) => Effect.gen(function* () {
        yield* h.lifecycle.provisionInBackground(id, generated)
        yield* h.awaitIdle
        expect((yield* row(id)).lastSampleError).toBe("failed to decrypt workspace secret")
        expect(Option.isNone(yield* h.engine.container(id))).toBe(true)
      }))
    }))

  it.effect("restart preflight: an empty config volume falls back to <runtime>-default; a full one is kept", () =>
    Effect.gen(function* () {
      const dir = configsDir(["claude-code-default", "claude-code"])
      const empty = yield* create({ name: "empty-volume" })
      const full = yield* create({ name: "full-volume" })
      yield* withLifecycle({ kind: "docker" }, (h) => Effect.gen(function* () {
        yield* h.engine.plant((s) => ({ ...s, volumes: new Map(s.volumes).set(full, { files: { "config.yaml": "x" }, sessionResets: 0 }) }))
        for (const id of [empty, full]) {
          yield* h.lifecycle.restartInBackground(id, { config: { _tag: "ExistingVolume" }, resetSession: false })
        }
        yield* h.awaitIdle
        expect((yield* startedSpec(h, empty)).templateDir).toBe(path.join(dir, "claude-code-default"))
        expect((yield* startedSpec(h, full)).templateDir).toBeNull()
      }), { configsDir: dir })
    }))

  it.effect("restart preflight: no template and an empty volume fail with the contract's message", () =>
    Effect.gen(function* () {
      const id = yield* create({ name: "nothing-to-start" })
      yield* withLifecycle({ kind: "docker" }, (h) => Effect.gen(function* () {
        yield* h.lifecycle.restartInBackground(id, { config: { _tag: "ExistingVolume" }, resetSession: false })
        yield* h.awaitIdle
        const message = ProvisionPipeline.noConfigSourceMessage(id)
        expect(message).toBe(`cannot start workspace ${id}: no config.yaml source and config volume is empty — delete the workspace or provide a template`)
        expect((yield* row(id)).lastSampleError).toBe(message)
        expect(yield* failures(id)).toEqual([{ error: message, source: "provision" }])
      }))
    }))

  it.effect("a start error reaches clients as `provisioning failed` in CP mode, details only in the logs", () =>
    Effect.gen(function* () {
      const id = yield* create({ name: "cp-fails" })
      yield* withLifecycle({
        kind: "cp",
        beforeStart: (spec) => Effect.fail(new Errors.ProvisionFailed({
          operation: "provision", workspaceId: spec.id, message: "cp provisioner: provision failed (500): secret upstream detail", retryable: false
        }))
      }, (h) => Effect.gen(function* () {
        yield* h.lifecycle.provisionInBackground(id, generated)
        yield* h.awaitIdle
        expect((yield* row(id)).lastSampleError).toBe("provisioning failed")
        expect(JSON.stringify(yield* failures(id))).not.toContain("secret upstream detail")
      }))
    }))
})
