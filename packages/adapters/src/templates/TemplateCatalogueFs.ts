/**
 * The template catalogue (contract §3.5, §5.9) over the `CONFIGS_DIR` directory, parsed with `yaml`.
 * Read fresh on every call: operators edit templates without a restart.
 */
import { TemplateCatalogue } from "@berth/core"
import type { ProviderRegistryEntry, Template, TemplateModel } from "@berth/core"
import { Config, Effect, Either, Layer, Option } from "effect"
import * as fs from "node:fs"
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
          provisionTimeoutSeconds: int(rc, "provision_timeout_seconds")
        }
      }
    },
    catch: (e) => (e instanceof Error ? e.message : String(e))
  })

const isDirectory = (p: string): boolean => {
  try {
    return fs.statSync(p).isDirectory()
  } catch {
    return false
  }
}

/** Read and decode `<root>/<id>/config.yaml`: None when unreadable (not a template) or unparseable (logged). */
const load = (root: string, id: string): Effect.Effect<Option.Option<Template>> =>
  Effect.gen(function* () {
    const dir = path.join(root, id)
    const text = Either.try(() => fs.readFileSync(path.join(dir, "config.yaml"), "utf8"))
    if (Either.isLeft(text)) return Option.none()
    const decoded = decode(id, dir, text.right)
    if (Either.isLeft(decoded)) {
      yield* Effect.logWarning(`templates list: skip ${id}: yaml.Unmarshal: ${decoded.left}`)
      return Option.none()
    }
    return Option.some(decoded.right)
  })

/** The catalogue over directory `dir` (made absolute: template dirs are bind-mounted). */
export const make = (dir: string): TemplateCatalogue["Type"] => {
  const root = path.resolve(dir)
  return {
    list: Effect.gen(function* () {
      const names = Either.try(() =>
        fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
      )
      if (Either.isLeft(names)) return []
      const found = yield* Effect.forEach(names.right, (id) => load(root, id))
      return found.flatMap((o) => (Option.isSome(o) ? [o.value] : []))
    }),
    find: (id) => load(root, id),
    hasDirectory: (name) => Effect.sync(() => isDirectory(path.join(root, name))),
    pathOf: (name) => path.join(root, name)
  }
}

export const layer = (dir: string): Layer.Layer<TemplateCatalogue> => Layer.succeed(TemplateCatalogue, make(dir))

/** `CONFIGS_DIR`, default `./workspace-configs-templates`. */
export const layerConfig: Layer.Layer<TemplateCatalogue> = Layer.effect(
  TemplateCatalogue,
  Effect.map(
    Effect.orDie(Config.string("CONFIGS_DIR").pipe(Config.withDefault("./workspace-configs-templates"))),
    make
  )
)
