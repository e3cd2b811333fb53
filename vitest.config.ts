import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const pkg = (name: string, entry = "index.ts") =>
  fileURLToPath(new URL(`./packages/${name}/src/${entry}`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: {
      "@berth/core": pkg("core"),
      // The subpath first: an alias also matches `<key>/…`, so `@berth/adapters` would swallow it.
      "@berth/adapters/testing": pkg("adapters", "testing/index.ts"),
      "@berth/adapters": pkg("adapters"),
      "@berth/http": pkg("http"),
      "@berth/gates": pkg("gates")
    }
  },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    // PGlite, Postgres and the Docker engine are shared by test files; two cores gain nothing from more workers.
    maxWorkers: 2,
    // Forked workers (the default pool) exit with the main process, so Ctrl-C leaves none behind.
    pool: "forks",
    setupFiles: [fileURLToPath(new URL("./packages/adapters/src/testing/WorkerExit.ts", import.meta.url))],
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
