/**
 * The real engine and loopback registry for the Docker provisioner suites: availability (skips locally, throws
 * under `BERTH_REQUIRE_SERVICES=1`) and the shared `EngineFixture` plus start specs and the provisioner service.
 */
import type { StartSpec } from "@berth/core"
import { ContainerVolumes, Errors, ManagedContainers, Provisioner } from "@berth/core"
import type { ConfigError } from "effect"
import { Effect } from "effect"
import { EngineFixture, Testing } from "../../src/testing/index.js"
import type { DockerProvisioner } from "../../src/index.js"
import { startSpec } from "../support/StartSpecs.js"

export const docker = await Testing.dockerEngine()
/** Both services answer; `describe.skipIf(!servicesUp)`. */
export const servicesUp = docker !== undefined && (await Testing.registryAvailable())


const engine = () => {
  if (docker === undefined) throw new Error("no Docker engine")
  return docker
}

/** One test file's images, workspaces and provisioners on the shared engine. */
export const engineFixture = (suite: string) => {
  const fixture = EngineFixture.make(engine, suite)

  /** A start spec whose containers and volumes are removed at teardown. */
  const spec = (overrides: Partial<StartSpec> = {}): StartSpec => {
    const s = startSpec(overrides)
    fixture.track(s.id)
    return s
  }

  /**
   * The Docker backend from settings (as `main` builds it): network none, the helper image, plus `settings`; the
   * provisioner and both container capabilities as one object.
   */
  const provisioner = (settings: Record<string, string> = {}): Effect.Effect<DockerProvisioner.DockerBackend, ConfigError.ConfigError> =>
    Effect.provide(
      Effect.all([Provisioner, ContainerVolumes, ManagedContainers]).pipe(
        Effect.map(([provisioner, volumes, containers]) => ({ ...provisioner, ...volumes, ...containers }))
      ),
      EngineFixture.provisionerLayer(fixture.helperImage, settings)
    )

  return { ...fixture, spec, provisioner }
}

/** The `ProvisionFailed` an operation must fail with (a success or `NoBackend` fails the test). */
export const provisionFailure = <A, R>(effect: Effect.Effect<A, Errors.ProvisionFailed | Errors.NoBackend, R>) =>
  Effect.flip(effect).pipe(
    Effect.filterOrDieMessage((e): e is Errors.ProvisionFailed => e._tag === "ProvisionFailed", "expected ProvisionFailed")
  )
