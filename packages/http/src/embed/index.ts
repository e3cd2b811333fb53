/** The embedding API (`@berth/http/embed`, also re-exported by `@berth/http`). */
export * as Berth from "./Berth.js"
export * as WebHandler from "./WebHandler.js"
export * as NodeListener from "./NodeListener.js"
export * as Composition from "./Composition.js"
export { BerthDefect, createBerth } from "./Promise.js"
export type { BerthApp, CreateOptions, HeartbeatInput, Options as CreateBerthOptions, RegisterInput } from "./Promise.js"
export { Errors, EventBus, Registry, WorkspaceLifecycle, Workspaces } from "@berth/core"
