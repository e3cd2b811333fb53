/**
 * Baseline (a) and (b) of the ceiling bench: a bare `node:http` server on `PORT` (127.0.0.1), no framework, no
 * database. `GET /health` answers `{"status":"ok"}` (the runtime's ceiling); `POST /registry/heartbeat` reads and
 * parses the JSON body and answers what Berth answers a steady beat of a workspace without an inbound secret,
 * `{"status":"ok"}`, from memory (the runtime's ceiling for a request with a body). Run: `node --import tsx BareHttp.ts`.
 */
import { createServer, type ServerResponse } from "node:http"

const ok = Buffer.from(JSON.stringify({ status: "ok" }))
const badBody = Buffer.from(JSON.stringify({ error: "invalid request body" }))
const notFound = Buffer.from(JSON.stringify({ error: "not found" }))

const send = (res: ServerResponse, status: number, body: Buffer) => {
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": body.length })
  res.end(body)
}

const isBeat = (text: string): boolean => {
  try {
    const body: unknown = JSON.parse(text)
    // The one field Berth needs before anything else (contract §5.11): the workspace the beat is for.
    return typeof body === "object" && body !== null && typeof (body as { workspace_id?: unknown }).workspace_id === "string"
  } catch {
    return false
  }
}

createServer((req, res) => {
  if (req.method === "GET" && req.url === "/health") return send(res, 200, ok)
  if (req.method === "POST" && req.url === "/registry/heartbeat") {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const beat = isBeat(Buffer.concat(chunks).toString("utf8"))
      send(res, beat ? 200 : 400, beat ? ok : badBody)
    })
    return
  }
  send(res, 404, notFound)
}).listen(Number(process.env["PORT"]), "127.0.0.1")
