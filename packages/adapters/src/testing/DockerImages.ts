/**
 * Test images built offline (STYLE §8): a busybox-static root file system with a `/marker` file, imported into the
 * engine and pushed to the loopback registry, plus the engine-side facts tests assert on (image ids, pull events)
 * and one-off commands in containers. Every image runs with network `none`; nothing leaves 127.0.0.1.
 */
import type Docker from "dockerode"
import { Effect } from "effect"
import * as fs from "node:fs"
import { Readable } from "node:stream"
import { buffer } from "node:stream/consumers"
import { pack, type Entry } from "../docker/ConfigArchive.js"
import * as Exec from "../docker/Exec.js"
import { drainProgress } from "../docker/ImagePull.js"
import { registryHost } from "./Services.js"

/** `127.0.0.1:5000/berth-test/<name>:<tag>`; use a name unique to the test file (other suites share the engine). */
export const testImageRef = (name: string, tag: string): string => `${registryHost}/berth-test/${name}:${tag}`

/** The busybox applets linked in `/bin`, enough for the agents' and the tests' commands. */
export const BUSYBOX_APPLETS: ReadonlyArray<string> = [
  "sh", "sleep", "cat", "test", "ls", "mkdir", "chmod", "chown", "stat", "echo", "true", "false", "rm", "id"
]

const busyboxBinary = (): string => {
  const found = ["/bin/busybox", "/usr/bin/busybox"].find((candidate) => fs.existsSync(candidate))
  if (found === undefined) throw new Error("busybox not found: install the Debian package busybox-static")
  return found
}

/** Mount points the provisioner binds, present so even a read-only root file system can take them. */
const DIRECTORIES = ["bin", "tmp", "configs", "workspace", "root", "root/.claude", "root/.claude/sessions", "proc", "sys", "dev", "etc"]

/** The root file system as a tar: `/bin/busybox`, its applet links, and `/marker` holding `marker`. */
export const busyboxRootfs = (marker: string): Promise<Buffer> => {
  const entries: Array<Entry> = [
    ...DIRECTORIES.map((name): Entry => ({ type: "directory", name, mode: 0o755 })),
    { type: "file", name: "bin/busybox", mode: 0o755, content: fs.readFileSync(busyboxBinary()) },
    ...BUSYBOX_APPLETS.map((applet): Entry => ({ type: "symlink", name: `bin/${applet}`, target: "busybox" })),
    { type: "file", name: "marker", mode: 0o644, content: Buffer.from(marker, "utf8") }
  ]
  return pack(entries, { uid: 0, gid: 0 })
}

const splitTag = (ref: string): { repo: string; tag: string } => {
  const colon = ref.lastIndexOf(":")
  return colon > ref.lastIndexOf("/") ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repo: ref, tag: "latest" }
}

/** Imports a busybox image tagged `ref` whose `/marker` holds `marker`; `cmd` defaults to a long sleep. Its id. */
export const importImage = async (
  docker: Docker,
  ref: string,
  marker: string,
  cmd: ReadonlyArray<string> = ["/bin/sleep", "3600"]
): Promise<string> => {
  const { repo, tag } = splitTag(ref)
  const stream = await docker.importImage(
    Readable.from([await busyboxRootfs(marker)]),
    { repo, tag, changes: [`CMD ${JSON.stringify(cmd)}`] }
  )
  await drainProgress(docker, stream)
  return imageIdOf(docker, ref).then((id) => {
    if (id === undefined) throw new Error(`import of ${ref} left no image`)
    return id
  })
}

/** Pushes `ref` to its (loopback) registry; the pushed manifest's digest. */
export const pushImage = async (docker: Docker, ref: string): Promise<string> => {
  // The engine wants an X-Registry-Auth header even for a registry without authentication.
  const events = await drainProgress(docker, await docker.getImage(ref).push({ authconfig: {} }))
  const digest = events
    .map((event): unknown => (event as { aux?: { Digest?: unknown } }).aux?.Digest)
    .find((value): value is string => typeof value === "string")
  if (digest === undefined) throw new Error(`push of ${ref} reported no digest`)
  return digest
}

/** Imports `ref` with `marker` and pushes it: the local image id and the registry digest. */
export const publishImage = async (docker: Docker, ref: string, marker: string): Promise<{ id: string; digest: string }> => {
  const id = await importImage(docker, ref, marker)
  return { id, digest: await pushImage(docker, ref) }
}

/** Points the local tag `ref` at image `id` (the registry keeps whatever was pushed). */
export const tagImage = async (docker: Docker, id: string, ref: string): Promise<void> => {
  await docker.getImage(id).tag(splitTag(ref))
}

/** The engine's id of the local image `ref`, or undefined when it has none. */
export const imageIdOf = (docker: Docker, ref: string): Promise<string | undefined> =>
  docker.getImage(ref).inspect().then(
    (info) => info.Id,
    (error: { statusCode?: number }) => {
      if (error.statusCode === 404) return undefined
      throw error
    }
  )

/** Removes local images by reference or id; absent ones are skipped. */
export const removeImages = async (docker: Docker, refs: ReadonlyArray<string>): Promise<void> => {
  for (const ref of refs) {
    await docker.getImage(ref).remove({ force: true }).catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error
    })
  }
}

/** The references the engine itself reports as pulled between two instants (its events API, `type=image`, `pull`). */
export const pullEvents = async (docker: Docker, sinceMs: number, untilMs: number): Promise<ReadonlyArray<string>> => {
  const stream = await docker.getEvents({
    since: sinceMs / 1000,
    until: untilMs / 1000,
    filters: { type: ["image"], event: ["pull"] }
  })
  const text = (await buffer(stream)).toString("utf8")
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => String((JSON.parse(line) as { id?: unknown }).id))
}

/** Runs `cmd` through exec in the running container `name`; its standard output (fails on a non-zero exit). */
export const execIn = (docker: Docker, name: string, cmd: ReadonlyArray<string>): Promise<string> =>
  Effect.runPromise(Exec.run(docker, name, cmd))

/** Runs `cmd` in a one-off container of `image` (network `none`) with `binds`; its standard output. */
export const runOnce = async (
  docker: Docker,
  image: string,
  binds: ReadonlyArray<string>,
  cmd: ReadonlyArray<string>
): Promise<string> => {
  const container = await docker.createContainer({ Image: image, Cmd: [...cmd], HostConfig: { Binds: [...binds], NetworkMode: "none" } })
  try {
    await container.start()
    const { StatusCode } = (await container.wait()) as { StatusCode: number }
    const logs = Exec.demux(await container.logs({ stdout: true, stderr: true, follow: false }))
    if (StatusCode !== 0) throw new Error(`${cmd.join(" ")} exited ${StatusCode}: ${logs.stderr}`)
    return logs.stdout
  } finally {
    await container.remove({ force: true })
  }
}
