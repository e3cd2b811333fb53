/** Tars for /configs: owner, modes (secrets 0600), parent directories, template walk, names kept inside. */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Readable } from "node:stream"
import tar from "tar-stream"
import * as ConfigArchive from "../../src/docker/ConfigArchive.js"

interface Listed {
  readonly name: string
  readonly type: string
  readonly mode: number
  readonly owner: string
  readonly content: string
}

/** Reads a tar back with tar-stream's extractor. */
const list = (archive: Buffer) =>
  Effect.promise(async () => {
    const entries: Array<Listed> = []
    for await (const entry of Readable.from([archive]).pipe(tar.extract())) {
      const chunks: Array<Buffer> = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      const h = entry.header
      const content = h.type === "symlink" ? `-> ${h.linkname}` : Buffer.concat(chunks).toString("utf8")
      entries.push({ name: h.name, type: h.type ?? "", mode: h.mode ?? 0, owner: `${h.uid}:${h.gid}`, content })
    }
    return entries
  })

const owner = { uid: 1000, gid: 1001 }

describe("ConfigArchive", () => {
  it.effect("generated files: parent directories once, secrets 0600, the rest 0644, all owned by the workspace user", () =>
    Effect.gen(function* () {
      const archive = yield* ConfigArchive.fromFiles(
        { "config.yaml": "a: 1\n", ".auth_token": "tok", "plugins/x/one.yaml": "1", "plugins/x/two.yaml": "2", ".platform_inbound_secret": "s" },
        owner
      )
      expect(yield* list(archive)).toEqual([
        { name: "config.yaml", type: "file", mode: 0o644, owner: "1000:1001", content: "a: 1\n" },
        { name: ".auth_token", type: "file", mode: 0o600, owner: "1000:1001", content: "tok" },
        { name: "plugins", type: "directory", mode: 0o755, owner: "1000:1001", content: "" },
        { name: "plugins/x", type: "directory", mode: 0o755, owner: "1000:1001", content: "" },
        { name: "plugins/x/one.yaml", type: "file", mode: 0o644, owner: "1000:1001", content: "1" },
        { name: "plugins/x/two.yaml", type: "file", mode: 0o644, owner: "1000:1001", content: "2" },
        { name: ".platform_inbound_secret", type: "file", mode: 0o600, owner: "1000:1001", content: "s" }
      ])
    }))

  it.effect("a name outside the target directory is refused", () =>
    Effect.gen(function* () {
      for (const name of ["../escape", "/etc/passwd", "a/../../b", "."]) {
        const error = yield* Effect.flip(ConfigArchive.fromFiles({ [name]: "x" }, owner))
        expect(error.message).toContain("outside the target directory")
      }
    }))

  it.effect("a template directory: recursive, its own permission bits, symlinks kept as links", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-archive-"))
      fs.writeFileSync(path.join(dir, "config.yaml"), "t: 1\n", { mode: 0o640 })
      fs.mkdirSync(path.join(dir, "skills", "deep"), { recursive: true })
      fs.writeFileSync(path.join(dir, "skills", "deep", "run.sh"), "#!/bin/sh\n", { mode: 0o755 })
      fs.symlinkSync("config.yaml", path.join(dir, "link.yaml"))
      const entries = yield* list(yield* ConfigArchive.fromDirectory(dir, owner))
      fs.rmSync(dir, { recursive: true })
      const byName = new Map(entries.map((e) => [e.name, e]))
      expect([...byName.keys()].sort()).toEqual(["config.yaml", "link.yaml", "skills", "skills/deep", "skills/deep/run.sh"])
      expect(byName.get("config.yaml")).toMatchObject({ mode: 0o640, content: "t: 1\n", owner: "1000:1001" })
      expect(byName.get("skills/deep/run.sh")).toMatchObject({ mode: 0o755, type: "file" })
      expect(byName.get("skills")).toMatchObject({ type: "directory" })
      expect(byName.get("link.yaml")).toMatchObject({ type: "symlink", content: "-> config.yaml" })
    }))

  it.effect("a missing template directory fails with the file system's reason", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(ConfigArchive.fromDirectory("/nonexistent/berth-template", owner))
      expect(error.message).toContain("ENOENT")
    }))
})
