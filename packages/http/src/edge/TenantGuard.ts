/**
 * TenantGuard (§4.1): on a tenant instance (`MOLECULE_ORG_ID` set), a request that does not prove its org gets a 404
 * with an EMPTY body — never 403, never JSON — so the existence of the tenant does not leak. It runs before routing,
 * so unknown paths get the same answer.
 */
import { Option } from "effect"
import { sameOriginCanvas } from "../guards/Credentials.js"
import type { RequestHeaders } from "../guards/Credentials.js"
import type { EdgeSettings } from "./EdgeConfig.js"

/** Exact paths, no prefix matching. */
export const allowlist: ReadonlySet<string> = new Set([
  "/health",
  "/buildinfo",
  "/metrics",
  "/registry/register",
  "/registry/heartbeat"
])

/** The `state=` entry of `Fly-Replay-Src` (a `;`-separated `k=v` list). */
export const flyReplayState = (header: string | undefined): Option.Option<string> => {
  if (header === undefined) return Option.none()
  for (const part of header.split(";")) {
    const eq = part.indexOf("=")
    if (eq > 0 && part.slice(0, eq).trim() === "state") return Option.some(part.slice(eq + 1).trim())
  }
  return Option.none()
}

/** True when the request may pass the guard. */
export const allows = (settings: EdgeSettings, path: string, headers: RequestHeaders): boolean =>
  Option.match(settings.orgId, {
    onNone: () => true,
    onSome: (orgId) =>
      allowlist.has(path) ||
      path.startsWith("/cp/") ||
      headers["x-molecule-org-id"] === orgId ||
      Option.contains(flyReplayState(headers["fly-replay-src"]), orgId) ||
      sameOriginCanvas(settings.canvasProxy, headers)
  })
