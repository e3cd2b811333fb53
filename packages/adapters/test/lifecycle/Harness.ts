/**
 * The lifecycle over real persistence (one in-memory PGlite per test file, shared by its tests) and a backend built
 * per test: the scripted engine, or a real adapter (`withLifecycleOver`). The lifecycle lives in a scope of its own,
 * so a test can close it mid-cycle (shutdown).
 */
import {
  ContainerVolumes, defaultProvisionSettings, InboundSecretCache, Lifecycle, MachineConsole, ManagedContainers, Provisioner, ProvisionPipeline
} from "@berth/core"
import { NodeFileSystem } from "@effect/platform-node"
import type { Scope } from "effect"
import { Chunk, Context, Duration, Effect, Exit, Layer, Logger, Scope as ScopeModule, TestClock } from "effect"
import type { CpBackend } from "../../src/cp/CpProvisioner.js"
import type { DockerBackend } from "../../src/docker/DockerProvisioner.js"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { layerFor } from "../../src/sql/Persistence.js"
import type { Services } from "../../src/sql/Persistence.js"
import * as SecretCipher from "../../src/sql/SecretCipher.js"
import * as TemplateCatalogueFs from "../../src/templates/TemplateCatalogueFs.js"
import * as ScriptedProvisioner from "./ScriptedProvisioner.js"

export const persistence = layerFor({ _tag: "Embedded", dataDir: "memory://" }).pipe(
  Layer.provide(SecretCipher.layer(Buffer.alloc(32, 7)))
)

export const PLATFORM_URL = "http://platform.test:8080"

/** A fresh CONFIGS_DIR holding a template directory (with a config.yaml) per name. */
export const configsDir = (names: ReadonlyArray<string>): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-lifecycle-"))
  for (const name of names) {
    fs.mkdirSync(path.join(dir, name))
    fs.writeFileSync(path.join(dir, name, "config.yaml"), `name: ${name}\nruntime: claude-code\n`)
  }
  return dir
}

/**
 * The ports a real backend object implements, as its own layer provides them: the CP's (it has a machine console) or
 * Docker's (provisioner and both container capabilities).
 */
export const backendLayer = (backend: DockerBackend | CpBackend): Layer.Layer<never> =>
  "consoleOutput" in backend
    ? Layer.succeedContext(Context.make(Provisioner, backend).pipe(Context.add(MachineConsole, backend)))
    : Layer.succeedContext(Context.make(Provisioner, backend).pipe(Context.add(ContainerVolumes, backend), Context.add(ManagedContainers, backend)))

/** What the lifecycle needs besides persistence: this backend, templates from `dir`, the platform URL, the secret cache. */
export const lifecycleServices = (backend: Layer.Layer<never>, dir: string) =>
  Layer.mergeAll(
    backend,
    TemplateCatalogueFs.layerFresh(dir).pipe(Layer.provide(NodeFileSystem.layer)),
    Layer.succeed(ProvisionPipeline.ProvisionSettings, { ...defaultProvisionSettings, platformUrl: PLATFORM_URL }),
    InboundSecretCache.Default
  )

/** The lifecycle over some provisioner, and what a test observes of it. */
export interface LifecycleHarness {
  readonly lifecycle: Lifecycle.Built["lifecycle"]
  readonly autoRestart: Lifecycle.Built["autoRestart"]
  readonly awaitIdle: Effect.Effect<void>
  readonly cache: InboundSecretCache
  /** Every log message written so far, by the test and by the lifecycle's background fibers. */
  readonly logs: () => ReadonlyArray<string>
  /** Closes the lifecycle's scope: interrupts what still runs in the background, like a shutdown. */
  readonly close: Effect.Effect<void>
}

/** The lifecycle over the scripted engine. */
export interface Harness extends LifecycleHarness {
  readonly engine: ScriptedProvisioner.Engine
}

const render = (message: unknown): string => (Array.isArray(message) ? message.map(String).join(" ") : String(message))

/** Runs `body` with a lifecycle over `backend`; the lifecycle is closed at the end if the body did not close it. */
export const withLifecycleOver = <A, E, R>(
  backend: Layer.Layer<never>,
  body: (h: LifecycleHarness) => Effect.Effect<A, E, R>,
  options: { readonly configsDir?: string } = {}
): Effect.Effect<A, E, Exclude<R, Scope.Scope> | Services> =>
  Effect.scoped(Effect.gen(function* () {
    const lines: Array<string> = []
    const collector = Logger.make(({ message }) => {
      lines.push(render(message))
    })
    const context = yield* Layer.build(lifecycleServices(backend, options.configsDir ?? configsDir([])))
    const scope = yield* ScopeModule.make()
    yield* Effect.addFinalizer(() => ScopeModule.close(scope, Exit.void))
    const built = yield* Lifecycle.make.pipe(ScopeModule.extend(scope), Effect.provide(context))
    const harness: LifecycleHarness = {
      lifecycle: built.lifecycle,
      autoRestart: built.autoRestart,
      awaitIdle: built.awaitIdle,
      cache: yield* Effect.provide(InboundSecretCache, context),
      logs: () => [...lines],
      close: ScopeModule.close(scope, Exit.void)
    }
    return yield* body(harness).pipe(Effect.provide(Logger.add(collector)))
  }))

/** Runs `body` with a lifecycle over the scripted engine of `script`. */
export const withLifecycle = <A, E, R>(
  script: ScriptedProvisioner.Script,
  body: (h: Harness) => Effect.Effect<A, E, R>,
  options: { readonly configsDir?: string } = {}
): Effect.Effect<A, E, Exclude<R, Scope.Scope> | Services> =>
  Effect.scoped(Effect.flatMap(ScriptedProvisioner.make(script), (engine) =>
    withLifecycleOver(engine.layer, (h) => body({ ...h, engine }), options)))

/**
 * Waits, by yielding (never by sleeping), until some fiber sleeps until exactly `d` from now. A clock move made
 * before a sleep is registered would be lost: the sleep would start from the new time.
 */
export const awaitSleeper = (d: Duration.DurationInput) =>
  Effect.gen(function* () {
    const wake = (yield* TestClock.currentTimeMillis) + Duration.toMillis(d)
    while (!Chunk.some(yield* TestClock.sleeps(), (t) => t === wake)) yield* Effect.yieldNow()
  })

/** Moves the test clock by `d` once some fiber sleeps until exactly then. */
export const adjustOnceAsleep = (d: Duration.DurationInput) => Effect.zipRight(awaitSleeper(d), TestClock.adjust(d))
