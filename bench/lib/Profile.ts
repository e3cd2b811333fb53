/**
 * Summaries of a V8 CPU profile (`node --cpu-prof`): the functions with the most self and inclusive time and the
 * packages they belong to, as shares of the busy (non-idle) samples. `tools/ProfileTop.ts` prints them; the ceiling
 * bench puts them in the report.
 */
import { readFile } from "node:fs/promises"

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly children?: ReadonlyArray<number>
}
export interface CpuProfile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
}

/** A name and its share of the busy samples (0..1). */
export interface Share {
  readonly name: string
  readonly share: number
}

export interface ProfileSummary {
  readonly samples: number
  readonly busy: number
  /** Sorted, largest first. */
  readonly byPackage: ReadonlyArray<Share>
  readonly self: ReadonlyArray<Share>
  readonly inclusive: ReadonlyArray<Share>
}

const packageOf = (url: string) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (match !== null) return match[1]!
  if (url.includes("/packages/")) return `berth ${/\/packages\/([^/]+)/.exec(url)?.[1] ?? ""}`
  return url === "" ? "(native/gc/idle)" : url.startsWith("node:") ? "node" : url
}

const frameName = (frame: ProfileNode["callFrame"]) =>
  `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*node_modules\//, "").replace(/^.*\/packages\//, "")}:${frame.lineNumber + 1}`

export const summarize = (profile: CpuProfile): ProfileSummary => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n] as const))
  const self = new Map<string, number>()
  const byPackage = new Map<string, number>()
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
  let busy = 0
  for (const id of profile.samples) {
    const node = byId.get(id)
    if (node === undefined || node.callFrame.functionName === "(idle)") continue
    busy += 1
    add(self, frameName(node.callFrame))
    add(byPackage, packageOf(node.callFrame.url))
  }
  // Inclusive time: a function counts once per sample in which it is anywhere on the stack.
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const inclusive = new Map<string, number>()
  for (const id of profile.samples) {
    const leaf = byId.get(id)
    if (leaf === undefined || leaf.callFrame.functionName === "(idle)") continue
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame
      if (frame.url !== "") seen.add(frameName(frame))
    }
    for (const key of seen) add(inclusive, key)
  }
  const sorted = (map: Map<string, number>) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name, n]) => ({ name, share: n / Math.max(1, busy) }))
  return { samples: profile.samples.length, busy, byPackage: sorted(byPackage), self: sorted(self), inclusive: sorted(inclusive) }
}

export const readSummary = async (path: string): Promise<ProfileSummary> =>
  summarize(JSON.parse(await readFile(path, "utf8")) as CpuProfile)
