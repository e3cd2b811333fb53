// A small A2A agent for the proxy's end-to-end tests, run as its own process: `node a2a-agent.mjs <name>`.
// It listens on 127.0.0.1 (a port of the kernel's choice, printed as its first stdout line) and answers each
// JSON-RPC request by method: `fail` → 500 with an error body; `slow` → waits `params.millis` first; anything else →
// 200 with the request echoed back in `result`, and a tool trace in `result.metadata`.
import { createServer } from "node:http"

const name = process.argv[2] ?? "agent"
const server = createServer((req, res) => {
  const chunks = []
  req.on("data", (c) => chunks.push(c))
  req.on("end", () => {
    let rpc = {}
    try { rpc = JSON.parse(Buffer.concat(chunks).toString("utf8")) } catch { /* answered below */ }
    const answer = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" })
      res.end(JSON.stringify(body))
    }
    if (rpc.method === "fail") return answer(500, { error: `${name} exploded` })
    const reply = () => answer(200, {
      jsonrpc: "2.0", id: rpc.id ?? null,
      result: { from: name, received: rpc, metadata: { tool_trace: [{ tool: "echo", agent: name }] } }
    })
    if (rpc.method === "slow") return setTimeout(reply, Number(rpc.params?.millis ?? 0))
    reply()
  })
})
server.listen(0, "127.0.0.1", () => console.log(String(server.address().port)))
process.on("SIGTERM", () => server.close(() => process.exit(0)))
