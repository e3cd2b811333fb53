import { readTextFiles, unresolvedRefs } from "../ContractRefs.js"
import type { Finding } from "../Finding.js"
import type { Scan } from "../Project.js"
import { noTarget, recordTarget, showGlobs } from "../Targets.js"

const gate = "contract-references" as const

/**
 * Issue 16 point 7: the contract is in the repository and every `§` citation in code and documentation resolves.
 * Rule: each `§N(.N)*` (and the end of a range `§7.1–7.3`) in `contractSources` is the number of a heading
 * (`## §N …`) in `contractDocs`.
 */
export const contractReferences = (scan: Scan): ReadonlyArray<Finding> => {
  const { contractDocs, contractSources, exclude } = scan.options
  const docs = readTextFiles(scan.root, contractDocs, exclude)
  recordTarget(scan, gate, "contractDocs", contractDocs, docs.map((d) => d.path))
  if (docs.length === 0) return [noTarget(scan, gate, "contractDocs", showGlobs(contractDocs))]
  const sources = readTextFiles(scan.root, contractSources, exclude)
  recordTarget(scan, gate, "contractSources", contractSources, sources.map((s) => s.path))
  return unresolvedRefs(docs, sources).map((r) => ({
    gate,
    file: r.file,
    line: r.line,
    message: `§${r.ref} has no heading in the contract (${showGlobs(contractDocs)}): cite an existing section, or add \`## §${r.ref} …\` there`
  }))
}
