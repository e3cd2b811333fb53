/**
 * What provisioning reads once at start-up (§1, §7.5), handed to core as values by the composition root: core reads
 * no environment. A `Context.Reference` whose default is the contract's default, so a test that does not care needs
 * no layer and one that does provides its own values.
 */
import { Context } from "effect"

export interface ProvisionSettingsValues {
  /** `PLATFORM_URL`, else `http://host.docker.internal:<PORT>`: the URL every workload calls back. */
  readonly platformUrl: string
  /**
   * `PROVISION_TIMEOUT_SECONDS` as written (trimmed, `""` when unset). Kept raw: `ProvisionTimeout.resolve` reports
   * an unusable value as "ignored", and the timeout sweep logs that reason (§7.5).
   */
  readonly provisionTimeoutSeconds: string
}

/** §1 defaults: no `PLATFORM_URL`, `PORT` 8080, no timeout override. */
export const defaultProvisionSettings: ProvisionSettingsValues = {
  platformUrl: "http://host.docker.internal:8080",
  provisionTimeoutSeconds: ""
}

export class ProvisionSettings extends Context.Reference<ProvisionSettings>()("@berth/core/ProvisionSettings", {
  defaultValue: (): ProvisionSettingsValues => defaultProvisionSettings
}) {}
