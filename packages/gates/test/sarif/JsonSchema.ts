/**
 * A JSON Schema draft-04 validator for the keywords the vendored SARIF schema uses (type, properties, required,
 * additionalProperties, items, minItems, uniqueItems, minimum, maximum, enum, pattern, format, anyOf, oneOf, $ref
 * into `#/definitions`). It returns every violation as `path: problem`, so a failing test says what is wrong.
 */
type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }
type Schema = { readonly [k: string]: Json }

const isObject = (v: Json | undefined): v is { readonly [k: string]: Json } =>
  typeof v === "object" && v !== null && !Array.isArray(v)

const typeOk = (type: string, v: Json): boolean => {
  switch (type) {
    case "object": return isObject(v)
    case "array": return Array.isArray(v)
    case "string": return typeof v === "string"
    case "boolean": return typeof v === "boolean"
    case "null": return v === null
    case "number": return typeof v === "number"
    case "integer": return typeof v === "number" && Number.isInteger(v)
    default: return false
  }
}

const formatOk = (format: string, v: string): boolean => {
  switch (format) {
    case "uri": return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(v)
    case "uri-reference": return !/\s/.test(v)
    case "date-time": return !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT/.test(v)
    default: return true
  }
}

export const validate = (root: Schema, value: Json): ReadonlyArray<string> => {
  const errors: Array<string> = []
  const resolve = (schema: Schema): Schema => {
    const ref = schema["$ref"]
    if (typeof ref !== "string") return schema
    const name = /^#\/definitions\/(.+)$/.exec(ref)?.[1]
    const definitions = root["definitions"]
    const target = name !== undefined && isObject(definitions) ? definitions[name] : undefined
    if (!isObject(target)) throw new Error(`unresolvable $ref ${ref}`)
    return resolve(target)
  }
  const check = (raw: Schema, v: Json, at: string, out: Array<string>): void => {
    const s = resolve(raw)
    const type = s["type"]
    if (typeof type === "string" && !typeOk(type, v)) return void out.push(`${at}: expected ${type}`)
    if (Array.isArray(type) && !type.some((t) => typeof t === "string" && typeOk(t, v))) return void out.push(`${at}: expected ${type.join("|")}`)
    const options = s["enum"]
    if (Array.isArray(options) && !options.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(`${at}: not one of ${JSON.stringify(options)}`)
    if (typeof v === "string") {
      const pattern = s["pattern"]
      if (typeof pattern === "string" && !new RegExp(pattern).test(v)) out.push(`${at}: does not match ${pattern}`)
      const format = s["format"]
      if (typeof format === "string" && !formatOk(format, v)) out.push(`${at}: not a ${format}`)
    }
    if (typeof v === "number") {
      const min = s["minimum"]
      const max = s["maximum"]
      if (typeof min === "number" && v < min) out.push(`${at}: below ${min}`)
      if (typeof max === "number" && v > max) out.push(`${at}: above ${max}`)
    }
    if (Array.isArray(v)) {
      const minItems = s["minItems"]
      if (typeof minItems === "number" && v.length < minItems) out.push(`${at}: fewer than ${minItems} item(s)`)
      if (s["uniqueItems"] === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) out.push(`${at}: items not unique`)
      const items = s["items"]
      if (isObject(items)) v.forEach((x, i) => check(items, x, `${at}[${i}]`, out))
    }
    if (isObject(v)) {
      const properties = isObject(s["properties"]) ? s["properties"] : {}
      const required = s["required"]
      if (Array.isArray(required)) for (const k of required) if (typeof k === "string" && !(k in v)) out.push(`${at}: missing ${k}`)
      const additional = s["additionalProperties"]
      for (const [k, x] of Object.entries(v)) {
        const p = properties[k]
        if (isObject(p)) check(p, x, `${at}.${k}`, out)
        else if (additional === false) out.push(`${at}: unexpected property ${k}`)
        else if (isObject(additional)) check(additional, x, `${at}.${k}`, out)
      }
    }
    const passing = (list: Json | undefined): number | undefined => Array.isArray(list)
      ? list.filter((alt) => { const mine: Array<string> = []; if (isObject(alt)) check(alt, v, at, mine); return mine.length === 0 }).length
      : undefined
    const any = passing(s["anyOf"])
    if (any !== undefined && any === 0) out.push(`${at}: matches none of anyOf`)
    const one = passing(s["oneOf"])
    if (one !== undefined && one !== 1) out.push(`${at}: matches ${one} of oneOf, not exactly one`)
  }
  check(root, value, "$", errors)
  return errors
}
