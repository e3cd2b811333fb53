/** Handlers of the operational endpoints (§5.1). */
import { HttpApiBuilder } from "@effect/platform"
import { StatusCounts, WorkspaceStatus } from "@berth/core"
import { Effect } from "effect"
import { Api } from "../Api.js"
import { EdgeConfig } from "../edge/EdgeConfig.js"
import { HttpMetrics } from "../edge/HttpMetrics.js"
import * as BerthMetrics from "../edge/BerthMetrics.js"

export const SystemLive = HttpApiBuilder.group(Api, "system", (handlers) =>
  Effect.gen(function* () {
    const config = yield* EdgeConfig
    const metrics = yield* HttpMetrics
    const counts = yield* StatusCounts
    // The gauge is best effort: a datastore fault drops it from the scrape rather than failing /metrics.
    const workspaceGauge = counts.byStatus().pipe(
      Effect.map((rows) => BerthMetrics.renderWorkspaces(WorkspaceStatus.statuses, rows)),
      Effect.catchAll((e) => Effect.as(Effect.logWarning("metrics: workspace count unavailable", e), ""))
    )
    return handlers
      .handle("health", () => Effect.succeed({ status: "ok" as const }))
      .handle("buildinfo", () => Effect.succeed({ git_sha: config.gitSha }))
      .handle("metrics", () =>
        Effect.all([metrics.render, workspaceGauge, BerthMetrics.renderEffectMetrics]).pipe(
          Effect.map((parts) => parts.join(""))
        ))
  }))
