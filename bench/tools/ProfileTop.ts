/**
 * Prints the summary of a V8 CPU profile (`node --cpu-prof`, e.g. from `BERTH_BENCH_PROFILE=1 npm run bench -- heartbeat`
 * or the ceiling bench's own profiles): packages and functions by self and inclusive time, as shares of the busy
 * (non-idle) samples. Usage: `npx tsx bench/tools/ProfileTop.ts bench/.work/profiles/<name>.cpuprofile [rows]`
 */
import type { Share } from "../lib/Profile.js"
import { readSummary } from "../lib/Profile.js"

const [path, rowsArg] = process.argv.slice(2)
if (path === undefined) {
  console.error("usage: ProfileTop.ts <file.cpuprofile> [rows]")
  process.exit(2)
}
const rows = Number(rowsArg ?? 40)
const top = (shares: ReadonlyArray<Share>, n: number) =>
  shares.slice(0, n).map((s) => `${(100 * s.share).toFixed(1).padStart(5)}%  ${s.name}`).join("\n")
readSummary(path).then((s) => {
  console.log(`${s.samples} samples, ${s.busy} busy\n\nby package:\n${top(s.byPackage, 15)}\n\nby function (self):\n${top(s.self, rows)}` +
    `\n\nby function (inclusive):\n${top(s.inclusive, rows)}`)
}, (error: unknown) => {
  console.error(error)
  process.exit(1)
})
