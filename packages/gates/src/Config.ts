import * as fs from "node:fs"
import * as path from "node:path"
import { Either, ParseResult, Schema } from "effect"
import type { GateOptions } from "./Options.js"

/** The project's gate targets live in this file at its root; without it the defaults (Berth's layout) apply. */
export const configFileName = "berth.gates.json"

const Globs = Schema.Array(Schema.String)
/** A regular expression as `"source"` or `"/source/flags"`. */
const Pattern = Schema.String

/** The file's fields: those of `GateOptions` but `gates`, with patterns as strings. */
const ConfigFile = Schema.Struct({
  $comment: Schema.optionalWith(Schema.String, { exact: true }),
  include: Schema.optionalWith(Globs, { exact: true }),
  exclude: Schema.optionalWith(Globs, { exact: true }),
  restartModules: Schema.optionalWith(Globs, { exact: true }),
  backgroundFunctions: Schema.optionalWith(Pattern, { exact: true }),
  statusWriters: Schema.optionalWith(Pattern, { exact: true }),
  statusWriterModules: Schema.optionalWith(Globs, { exact: true }),
  statusModule: Schema.optionalWith(Schema.String, { exact: true }),
  migrationsDir: Schema.optionalWith(Schema.String, { exact: true }),
  otherStatusWords: Schema.optionalWith(Globs, { exact: true }),
  providerModule: Schema.optionalWith(Schema.String, { exact: true }),
  providerScript: Schema.optionalWith(Schema.String, { exact: true }),
  tokenSweepModules: Schema.optionalWith(Globs, { exact: true }),
  statusSweepModules: Schema.optionalWith(Globs, { exact: true }),
  provisionerNames: Schema.optionalWith(Pattern, { exact: true }),
  mintSecrets: Schema.optionalWith(Pattern, { exact: true }),
  coreModules: Schema.optionalWith(Globs, { exact: true }),
  httpModules: Schema.optionalWith(Globs, { exact: true }),
  portModules: Schema.optionalWith(Globs, { exact: true }),
  nonPersistencePorts: Schema.optionalWith(Globs, { exact: true }),
  testKitModules: Schema.optionalWith(Globs, { exact: true }),
  testKitSpecifier: Schema.optionalWith(Schema.String, { exact: true }),
  contractDocs: Schema.optionalWith(Globs, { exact: true }),
  contractSources: Schema.optionalWith(Globs, { exact: true })
})

const toRegExp = (text: string): RegExp => {
  const slashed = /^\/(.*)\/([a-z]*)$/.exec(text)
  return slashed === null ? new RegExp(text) : new RegExp(slashed[1] ?? "", slashed[2])
}

/** The file's options, or a message saying what is wrong with it. Absent file = no options. */
export const readConfigFile = (root: string): Either.Either<GateOptions, string> => {
  const file = path.join(root, configFileName)
  if (!fs.existsSync(file)) return Either.right({})
  let json: unknown
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"))
  } catch (e) {
    return Either.left(`${configFileName}: ${e instanceof Error ? e.message : String(e)}`)
  }
  const decoded = Schema.decodeUnknownEither(ConfigFile, { onExcessProperty: "error" })(json)
  if (Either.isLeft(decoded)) {
    return Either.left(`${configFileName}: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`)
  }
  const { $comment: _comment, backgroundFunctions, statusWriters, provisionerNames, mintSecrets, ...plain } = decoded.right
  const pattern = <K extends string>(key: K, text: string | undefined): { readonly [P in K]?: RegExp } =>
    (text === undefined ? {} : { [key]: toRegExp(text) }) as { readonly [P in K]?: RegExp }
  try {
    return Either.right({
      ...plain,
      ...pattern("backgroundFunctions", backgroundFunctions),
      ...pattern("statusWriters", statusWriters),
      ...pattern("provisionerNames", provisionerNames),
      ...pattern("mintSecrets", mintSecrets)
    })
  } catch (e) {
    return Either.left(`${configFileName}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** The line of a key in the config file (1 when the file or the key is absent), so a finding points at it. */
export const configLine = (root: string, key: string): number => {
  const file = path.join(root, configFileName)
  if (!fs.existsSync(file)) return 1
  const index = fs.readFileSync(file, "utf8").split("\n").findIndex((line) => line.includes(`"${key}"`))
  return index < 0 ? 1 : index + 1
}
