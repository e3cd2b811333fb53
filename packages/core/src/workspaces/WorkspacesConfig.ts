import { Context } from "effect"

/**
 * The settings the workspace use cases need, read once by the composition root (core reads no environment).
 * `saasMode` (§1) decides which agent URLs create refuses (§9.6).
 */
export class WorkspacesConfig extends Context.Tag("@berth/core/WorkspacesConfig")<WorkspacesConfig, {
  readonly saasMode: boolean
}>() {}
