/**
 * Which HTTP driver of the server answered a route, for the report to name beside every Berth figure. Today every
 * route goes through the HttpApi driver (`@effect/platform` HttpApiBuilder). Issue 21 allows a lean `node:http`
 * driver for the agent routes; the hook: when the server's log (JSON lines, `bench/.work/<name>.log`) has a line
 * whose message mentions a lean driver and names the route's path (e.g. `{"message":"lean driver serves
 * POST /registry/heartbeat, POST /registry/register", …}`), the route is credited to it. Detected per server at run
 * time, so a report never names a driver the measured build did not have.
 */
import { Effect } from "effect"
import { readFile } from "node:fs/promises"

export type Route = "GET /health" | "POST /registry/heartbeat"

export const httpApiDriver = "HttpApi (`HttpApiBuilder` on `NodeHttpServer`)"
export const leanDriver = "lean `node:http` driver"

/** The driver named for `route` by the log at `logPath`; the HttpApi driver when no line says otherwise. */
export const driverOf = (logPath: string, route: Route) =>
  Effect.promise(async () => {
    const log = await readFile(logPath, "utf8").catch(() => "")
    const path = route.split(" ")[1]!
    const lean = log.split("\n").some((line) => /lean[ _-]?driver/i.test(line) && line.includes(path))
    return lean ? leanDriver : httpApiDriver
  })

/** Both routes' drivers of one server. */
export const driversOf = (logPath: string): Effect.Effect<Drivers> =>
  Effect.all({ health: driverOf(logPath, "GET /health"), heartbeat: driverOf(logPath, "POST /registry/heartbeat") })

export interface Drivers {
  readonly health: string
  readonly heartbeat: string
}
