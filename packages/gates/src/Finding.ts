/** One violation of an architectural invariant: where it is and what to do about it. */
export interface Finding {
  /** The gate id, e.g. `hexagonal-boundary`. */
  readonly gate: GateId
  /** Path relative to the project root, `/`-separated. */
  readonly file: string
  /** 1-based line. */
  readonly line: number
  /** One line: what is wrong and how to fix it. */
  readonly message: string
  /** Set when the gate found nothing to check (its target is absent): a run where every gate says so is unusable. */
  readonly noTarget?: true
}

/** Something a gate wants said without failing the run (e.g. "nothing to check yet"). */
export interface Note {
  readonly gate: GateId
  readonly message: string
}

export const gateIds = [
  "no-inline-stop-in-restart",
  "cp-stop-only-through-retry",
  "bound-status-writes",
  "status-enum-drift",
  "provider-drift",
  "hexagonal-boundary",
  "external-exemption",
  "secrets-minted-on-every-provision",
  "http-uses-no-persistence-port",
  "testing-kit-apart",
  "contract-references"
] as const

export type GateId = (typeof gateIds)[number]
