/**
 * The template catalogue (contract §3.5, §5.9) over the `CONFIGS_DIR` directory, parsed with `yaml`, read through
 * `@effect/platform`'s `FileSystem`. The list is cached for a short time (`DEFAULT_TTL`): `GET /workspaces` and the
 * sweeps ask for it on every call, and operators who edit templates see the change within seconds, without a restart.
 */
import { FileSystem } from "@effect/platform"
import { TemplateCatalogue } from "@berth/core"
import type { ProviderRegistryEntry, Template, TemplateModel } from "@berth/core"
import type { Duration } from "effect"
import { Config, Effect, Either, Layer, Option } from "effect"
import * as path from "node:path"
import { parse } from "yaml"

/** A shape mismatch, reported like Go's `yaml.Unmarshal` type errors (the message the contract logs). */
class ShapeError extends Error {}

type Obj = Readonly<Record<string, unknown>>

const isObj = (u: unknown): u is Obj => typeof u === "object" && u !== null && !Array.isArray(u)

const mismatch = (key: string, value: unknown, want: string): ShapeError =>
  new ShapeError(`cannot unmarshal ${JSON.stringify(value)} (key ${key}) into ${want}`)

/** Scalars decode into strings like Go's yaml does (numbers and booleans as their text); maps and lists fail. */
const str = (o: Obj, key: string): string | null => {
  const v = o[key]
  if (v === undefined || v === null) return null
  if (typeof v === "string") return v
  if (typeof v === "number" || typeof v === "boolean") return String(v)
  throw mismatch(key, v, "string")
}

const int = (o: Obj, key: string): number | null => {
  const v = o[key]
  if (v === undefined || v === null) return null
  if (typeof v === "number" && Number.isInteger(v)) return v
  throw mismatch(key, v, "int")
}

const list = (o: Obj, key: string): ReadonlyArray<unknown> => {
  const v = o[key]
  if (v === undefined || v === null) return []
  if (Array.isArray(v)) return v
  throw mismatch(key, v, "sequence")
}

const strList = (o: Obj, key: string): ReadonlyArray<string> =>
  list(o, key).map((item, i) => str({ [`${key}[${i}]`]: item }, `${key}[${i}]`) ?? "")

const obj = (u: unknown, key: string): Obj => {
  if (u === undefined || u === null) return {}
  if (isObj(u)) return u
  throw mismatch(key, u, "mapping")
}

const registryEntry = (u: unknown, i: number): ProviderRegistryEntry => {
  const e = obj(u, `providers[${i}]`)
  return {
    name: str(e, "name") ?? "",
    authMode: str(e, "auth_mode"),
    modelPrefixes: strList(e, "model_prefixes"),
    modelAliases: strList(e, "model_aliases"),
    // Clients read base_url as a string: absent and YAML null both become "".
    baseUrl: str(e, "base_url") ?? "",
    authEnv: strList(e, "auth_env")
  }
}

const model = (u: unknown, i: number): TemplateModel => {
  const m = obj(u, `models[${i}]`)
  return { id: str(m, "id") ?? "", name: str(m, "name") ?? "", requiredEnv: strList(m, "required_env") }
}

/** Decode one `config.yaml` text; the Left is the `yaml.Unmarshal` error text. */
export const decode = (id: string, dir: string, text: string): Either.Either<Template, string> =>
  Either.try({
    try: (): Template => {
      const doc = obj(parse(text) as unknown, "document")
      const rc = obj(doc["runtime_config"], "runtime_config")
      return {
        id,
        dir,
        name: str(doc, "name") ?? "",
        description: str(doc, "description") ?? "",
        tier: int(doc, "tier") ?? 0,
        runtime: str(doc, "runtime") ?? "",
        model: str(doc, "model"),
        skills: strList(doc, "skills"),
        // A string-shaped `providers:` is a type error here, which skips the template (§5.9).
        providerRegistry: list(doc, "providers").map(registryEntry),
        runtimeConfig: {
          model: str(rc, "model"),
          models: list(rc, "models").map(model),
          requiredEnv: strList(rc, "required_env"),
          providers: strList(rc, "providers"),
          provisionTimeoutSeconds: int(rc, "provision_timeout_seconds"),
          hibernationIdleMinutes: int(rc, "hibernation_idle_minutes")
        }
      }
    },
    catch: (e) => (e instanceof Error ? e.message : String(e))
  })

/** How long a listed catalogue is served before the directory is read again. */
export const DEFAULT_TTL: Duration.DurationInput = "5 seconds"

/** The fresh catalogue over directory `dir` (made absolute: template dirs are bind-mounted); every call reads. */
export const make = (dir: string): Effect.Effect<TemplateCatalogue["Type"], never, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const root = path.resolve(dir)

    // Anything unreadable is "not a template", like a missing directory.
    const isDirectory = (p: string): Effect.Effect<boolean> =>
      Effect.orElseSucceed(Effect.map(fs.stat(p), (info) => info.type === "Directory"), () => false)

    /** Read and decode `<root>/<id>/config.yaml`: None when unreadable (not a template) or unparseable (logged). */
    const load = (id: string): Effect.Effect<Option.Option<Template>> =>
      Effect.gen(function* () {
        const dir = path.join(root, id)
        const text = yield* Effect.either(fs.readFileString(path.join(dir, "config.yaml")))
        if (Either.isLeft(text)) return Option.none()
        const decoded = decode(id, dir, text.right)
        if (Either.isLeft(decoded)) {
          yield* Effect.logWarning(`templates list: skip ${id}: yaml.Unmarshal: ${decoded.left}`)
          return Option.none()
        }
        return Option.some(decoded.right)
      })

    const list = Effect.gen(function* () {
      const names = yield* Effect.orElseSucceed(fs.readDirectory(root), () => [])
      const dirs = yield* Effect.filter([...names].sort(), (name) => isDirectory(path.join(root, name)))
      const found = yield* Effect.forEach(dirs, load)
      return found.flatMap((o) => (Option.isSome(o) ? [o.value] : []))
    })

    return TemplateCatalogue.of({
      list,
      find: load,
      hasDirectory: (name) => isDirectory(path.join(root, name)),
      pathOf: (name) => path.join(root, name)
    })
  })

/**
 * `catalogue` with its list served from memory for `ttl` after each read (time from `Clock`, so tests drive it).
 * `find` stays fresh: one file, read only when a workspace is created or restarted.
 */
export const cached = (
  catalogue: TemplateCatalogue["Type"],
  ttl: Duration.DurationInput = DEFAULT_TTL
): Effect.Effect<TemplateCatalogue["Type"]> =>
  Effect.map(Effect.cachedWithTTL(catalogue.list, ttl), (list) => TemplateCatalogue.of({ ...catalogue, list }))

/** The cached catalogue over `dir`. */
export const layer = (
  dir: string,
  ttl: Duration.DurationInput = DEFAULT_TTL
): Layer.Layer<TemplateCatalogue, never, FileSystem.FileSystem> =>
  Layer.effect(TemplateCatalogue, Effect.flatMap(make(dir), (fresh) => cached(fresh, ttl)))

/** The catalogue that reads on every call (tests that rewrite templates between calls). */
export const layerFresh = (dir: string): Layer.Layer<TemplateCatalogue, never, FileSystem.FileSystem> =>
  Layer.effect(TemplateCatalogue, make(dir))

/** `CONFIGS_DIR`, default `./workspace-configs-templates`. */
export const layerConfig: Layer.Layer<TemplateCatalogue, never, FileSystem.FileSystem> = Layer.unwrapEffect(
  Effect.map(
    Effect.orDie(Config.string("CONFIGS_DIR").pipe(Config.withDefault("./workspace-configs-templates"))),
    (dir) => layer(dir)
  )
)
