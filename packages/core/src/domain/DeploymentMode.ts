/**
 * How this server is deployed (§1), read once by the composition root and handed to core as a value (core reads no
 * environment). `saasMode` decides which agent URLs create and register refuse (§9.6).
 */
import { Context } from "effect"

export class DeploymentMode extends Context.Tag("@berth/core/DeploymentMode")<DeploymentMode, {
  readonly saasMode: boolean
}>() {}
