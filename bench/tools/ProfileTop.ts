/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. from `BERTH_BENCH_PROFILE=1 npm run bench -- heartbeat`):
 * the functions with the most self time, and the packages they belong to, as shares of the busy (non-idle) samples.
 * Usage: `npx tsx bench/tools/ProfileTop.ts bench/.work/profiles/<name>.cpuprofile [rows]`
 */
import { readFileSync } from "node:fs"

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly children?: ReadonlyArray<number>
}
interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
}

const [path, rowsArg] = process.argv.slice(2)
if (path === undefined) {
  console.error("usage: ProfileTop.ts <file.cpuprofile> [rows]")
  process.exit(2)
}
const profile = JSON.parse(readFileSync(path, "utf8")) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n] as const))
const self = new Map<string, number>()
const byPackage = new Map<string, number>()
const packageOf = (url: string) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (match !== null) return match[1]!
  if (url.includes("/packages/")) return `berth ${/\/packages\/([^/]+)/.exec(url)?.[1] ?? ""}`
  return url === "" ? "(native/gc/idle)" : url.startsWith("node:") ? "node" : url
}
let busy = 0
for (const id of profile.samples) {
  const node = byId.get(id)
  if (node === undefined || node.callFrame.functionName === "(idle)") continue
  busy += 1
  const { functionName, url, lineNumber } = node.callFrame
  const key = `${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "").replace(/^.*\/packages\//, "")}:${lineNumber + 1}`
  self.set(key, (self.get(key) ?? 0) + 1)
  const pkg = packageOf(url)
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + 1)
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
    const { functionName, url, lineNumber } = byId.get(at)!.callFrame
    if (url === "") continue
    seen.add(`${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "").replace(/^.*\/packages\//, "")}:${lineNumber + 1}`)
  }
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + 1)
}

const top = (map: Map<string, number>, rows: number) =>
  [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, rows).map(([k, v]) => `${((100 * v) / busy).toFixed(1).padStart(5)}%  ${k}`)
console.log(`${profile.samples.length} samples, ${busy} busy\n\nby package:\n${top(byPackage, 15).join("\n")}\n\nby function (self):\n${top(self, Number(rowsArg ?? 40)).join("\n")}` +
  `\n\nby function (inclusive):\n${top(inclusive, Number(rowsArg ?? 40)).join("\n")}`)
