/**
 * Pure validation and normalisation of POST /workspaces input (contract §5.2 rules 2, 3 shape, 4 numbers, 5, 6).
 */
import { Effect } from "effect"
import { InvalidInput } from "./Errors.js"
import { EXTERNAL } from "./Runtime.js"

/** The create fields this module checks (already type-decoded by the HTTP edge). */
export interface CreateFields {
  readonly name: string
  readonly role?: string | undefined
  readonly model?: string | undefined
  readonly runtime?: string | undefined
  readonly tier?: number | undefined
  readonly budgetLimit?: number | undefined
  readonly maxConcurrentTasks?: number | undefined
}

/** `max_concurrent_tasks` is an `int` column: a larger value is bad input, not a database fault. */
export const MAX_INT4 = 2_147_483_647

const fail = (message: string) => Effect.fail(new InvalidInput({ message }))

// Go's len() counts bytes, so limits are in UTF-8 bytes.
const utf8Length = (s: string): number => {
  let n = 0
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
  }
  return n
}
const NEWLINE = /[\r\n]/
const YAML_SPECIAL = /[{}[\]|>*&!]/

/**
 * Rule 2: `invalid workspace fields` for newlines, YAML specials in name/role, lengths, tier 0–4, budget < 0. Berth
 * also refuses numbers its columns cannot hold (a budget beyond 2⁵³ − 1 cents, `max_concurrent_tasks` beyond the
 * `int` range) with the same message: upstream answered those with a 500 from the database.
 */
export const validateFields = (f: CreateFields): Effect.Effect<void, InvalidInput> => {
  const role = f.role ?? ""
  const model = f.model ?? ""
  const runtime = f.runtime ?? ""
  const bad =
    [f.name, role, model, runtime].some((s) => NEWLINE.test(s)) ||
    YAML_SPECIAL.test(f.name) || YAML_SPECIAL.test(role) ||
    utf8Length(f.name) > 255 || utf8Length(role) > 1000 || utf8Length(model) > 100 || utf8Length(runtime) > 100 ||
    (f.tier !== undefined && (f.tier < 0 || f.tier > 4)) ||
    (f.budgetLimit !== undefined && (f.budgetLimit < 0 || f.budgetLimit > Number.MAX_SAFE_INTEGER)) ||
    (f.maxConcurrentTasks !== undefined && f.maxConcurrentTasks > MAX_INT4)
  return bad ? fail("invalid workspace fields") : Effect.void
}

/** Rule 3 (shape only): a template is a relative path without `..`; resolving inside CONFIGS_DIR is the adapter's. */
export const validateTemplatePath = (template: string): Effect.Effect<void, InvalidInput> =>
  template.startsWith("/") || template.startsWith("\\") || /^[A-Za-z]:/.test(template) || template.includes("..")
    ? fail("invalid template")
    : Effect.void

/** Delivery modes. */
export type DeliveryMode = "push" | "poll"

/** Rule 5: empty → push (poll for external); other values are refused. */
export const normaliseDeliveryMode = (raw: string | undefined, runtime: string): Effect.Effect<DeliveryMode, InvalidInput> => {
  if (raw === undefined || raw === "") return Effect.succeed(runtime === EXTERNAL ? "poll" : "push")
  if (raw === "push" || raw === "poll") return Effect.succeed(raw)
  return fail("delivery_mode must be 'push' or 'poll'")
}

/** System directories a workspace may never mount. */
export const FORBIDDEN_DIRS: ReadonlyArray<string> = ["/etc", "/var", "/proc", "/sys", "/dev", "/boot", "/sbin", "/bin", "/lib", "/usr"]

/** Workspace access levels. */
export type WorkspaceAccess = "none" | "read_only" | "read_write"

/** Rule 6: workspace_dir (absolute, no `..`, not a system dir) and workspace_access (needs a dir unless none). */
export const validateWorkspaceDir = (
  dir: string | undefined,
  access: string | undefined
): Effect.Effect<{ readonly dir: string | undefined; readonly access: WorkspaceAccess }, InvalidInput> =>
  Effect.gen(function* () {
    const d = dir === undefined || dir === "" ? undefined : dir
    if (d !== undefined) {
      const underSystem = FORBIDDEN_DIRS.some((p) => d === p || d.startsWith(`${p}/`))
      if (!d.startsWith("/") || d.includes("..") || underSystem) return yield* fail("invalid workspace directory")
    }
    const a = access === undefined || access === "" ? "none" : access
    if (a !== "none" && a !== "read_only" && a !== "read_write") return yield* fail("invalid workspace access")
    if (a !== "none" && d === undefined) return yield* fail("invalid workspace access")
    return { dir: d, access: a }
  })

/** Rule 4: tier 0 (or absent) → 3. */
export const normaliseTier = (tier: number | undefined): number => (tier === undefined || tier === 0 ? 3 : tier)

/** Rule 4: max_concurrent_tasks ≤ 0 (or absent) → 1. */
/** A year: beyond it an idle threshold means "never", which `null` (the server's default, off unless set) says better. */
export const MAX_IDLE_MINUTES = 525_600

/** §2.4: a workspace's own idle threshold is a whole number of minutes from 1 to a year, or null (the server's default). */
export const validateIdleMinutes = (minutes: number | null | undefined): Effect.Effect<number | null | undefined, InvalidInput> =>
  minutes === undefined || minutes === null || (Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_IDLE_MINUTES)
    ? Effect.succeed(minutes)
    : Effect.fail(new InvalidInput({
      message: `hibernation_idle_minutes must be a whole number of minutes from 1 to ${MAX_IDLE_MINUTES}, or null`
    }))

export const normaliseMaxConcurrentTasks = (n: number | undefined): number => (n === undefined || n <= 0 ? 1 : n)
