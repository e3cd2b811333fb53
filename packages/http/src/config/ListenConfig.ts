/** `PORT` (§1), read once at start: the listener binds it and the default platform URL names it. */
import { Effect } from "effect"
import { positiveInt } from "./PositiveInt.js"

export const DEFAULT_PORT = 8080

/** `PORT`, default 8080; an invalid value is ignored with a warning. */
export const port: Effect.Effect<number> = positiveInt("PORT", DEFAULT_PORT)
