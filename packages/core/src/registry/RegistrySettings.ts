/** The registry's settings, read by the composition root and handed to core as values (core reads no environment). */
import { Context } from "effect"

export class RegistrySettings extends Context.Tag("@berth/core/RegistrySettings")<RegistrySettings, {
  /** §1 saasMode: which agent URLs the register URL check refuses (§9.6). */
  readonly saasMode: boolean
}>() {}
