/**
 * Model environment for a workspace container (contract §9.2).
 */

/** New env with MODEL (and HERMES_DEFAULT_MODEL for hermes); empty model falls back to env.MODEL_PROVIDER. */
export const applyRuntimeModelEnv = (
  env: Readonly<Record<string, string>>,
  runtime: string,
  model: string
): Record<string, string> => {
  const out: Record<string, string> = { ...env }
  // Restarts carry no model: the stored canvas pick lives in MODEL_PROVIDER.
  const effective = model !== "" ? model : (env["MODEL_PROVIDER"] ?? "")
  if (effective === "") return out
  out["MODEL"] = effective
  if (runtime === "hermes") out["HERMES_DEFAULT_MODEL"] = effective
  return out
}
