/**
 * Per-agent commit authorship (contract §8.1 step 3): every workspace commits as `Molecule AI <name>` with an
 * undeliverable `<slug>@agents.moleculesai.app` address, unless the operator set those variables as secrets.
 */

/** The @-part of generated agent emails: identity markers only, not inboxes. */
export const EMAIL_DOMAIN = "agents.moleculesai.app"

/** Lower-cased name with each run of characters outside `a-z0-9` turned into `-`, edges trimmed. */
export const slug = (name: string): string =>
  name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")

const variables = ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"] as const

/**
 * A copy of `env` with the four git identity variables filled where unset (a secret of the same key wins). An empty
 * name sets nothing: `@agents.moleculesai.app` with an empty local part would be worse than git's own default.
 */
export const applyGitIdentity = (env: Readonly<Record<string, string>>, workspaceName: string): Record<string, string> => {
  const out: Record<string, string> = { ...env }
  const name = workspaceName.trim()
  if (name === "") return out
  const author = `Molecule AI ${name}`
  const email = `${slug(name)}@${EMAIL_DOMAIN}`
  const values: Record<(typeof variables)[number], string> = {
    GIT_AUTHOR_NAME: author,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: author,
    GIT_COMMITTER_EMAIL: email
  }
  for (const key of variables) if (!(key in out)) out[key] = values[key]
  return out
}
