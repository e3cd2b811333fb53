/** Operational endpoints (§5.1): no route guard; TenantGuard allowlists them. */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

export const Health = Schema.Struct({ status: Schema.Literal("ok") })
export const BuildInfo = Schema.Struct({ git_sha: Schema.String })
/** Prometheus text exposition format 0.0.4. */
export const MetricsText = HttpApiSchema.Text({ contentType: "text/plain; version=0.0.4; charset=utf-8" })

export class SystemGroup extends HttpApiGroup.make("system")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(Health))
  .add(HttpApiEndpoint.get("buildinfo", "/buildinfo").addSuccess(BuildInfo))
  .add(HttpApiEndpoint.get("metrics", "/metrics").addSuccess(MetricsText))
{}
