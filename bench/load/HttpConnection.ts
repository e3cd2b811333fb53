/**
 * A minimal HTTP/1.1 keep-alive client over one TCP socket, for load generation. It sends pre-encoded requests and
 * parses just enough of each answer (status, Content-Length or chunked body) to know where the next one starts:
 * Node's own `http` client costs several times more CPU per request, which on a small machine is taken from the
 * server under test.
 */
import * as net from "node:net"

/** One answer: its status code and body bytes. */
export interface Answer {
  readonly status: number
  readonly body: Buffer
}

/** `POST path` with a JSON body and extra headers, encoded once and sent many times. */
export const encodeRequest = (
  method: "GET" | "POST",
  path: string,
  options: { readonly body?: string; readonly headers?: Readonly<Record<string, string>> } = {}
): Buffer => {
  const body = options.body === undefined ? undefined : Buffer.from(options.body)
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: keep-alive"]
  for (const [name, value] of Object.entries(options.headers ?? {})) lines.push(`${name}: ${value}`)
  if (body !== undefined) lines.push("Content-Type: application/json", `Content-Length: ${body.length}`)
  const head = Buffer.from(lines.join("\r\n") + "\r\n\r\n")
  return body === undefined ? head : Buffer.concat([head, body])
}

const headerEnd = Buffer.from("\r\n\r\n")

/** The length of a complete answer at the start of `buf` and its parts, or undefined when more bytes are needed. */
const parseAnswer = (buf: Buffer): { readonly length: number; readonly answer: Answer } | undefined => {
  const end = buf.indexOf(headerEnd)
  if (end === -1) return undefined
  const head = buf.subarray(0, end).toString("latin1")
  const status = Number(head.slice(9, 12))
  const lower = head.toLowerCase()
  const lengthMatch = /\r\ncontent-length:\s*(\d+)/.exec(lower)
  const bodyStart = end + 4
  if (lengthMatch !== null) {
    const length = Number(lengthMatch[1])
    if (buf.length < bodyStart + length) return undefined
    return { length: bodyStart + length, answer: { status, body: buf.subarray(bodyStart, bodyStart + length) } }
  }
  if (/\r\ntransfer-encoding:\s*chunked/.test(lower)) {
    const parts: Array<Buffer> = []
    let at = bodyStart
    for (;;) {
      const lineEnd = buf.indexOf("\r\n", at)
      if (lineEnd === -1) return undefined
      const size = parseInt(buf.subarray(at, lineEnd).toString("latin1"), 16)
      const dataStart = lineEnd + 2
      if (buf.length < dataStart + size + 2) return undefined
      if (size === 0) return { length: dataStart + 2, answer: { status, body: Buffer.concat(parts) } }
      parts.push(buf.subarray(dataStart, dataStart + size))
      at = dataStart + size + 2
    }
  }
  // No length and not chunked: only bodiless answers (204, 304) are expected from Berth.
  return { length: bodyStart, answer: { status, body: Buffer.alloc(0) } }
}

/**
 * One keep-alive connection carrying one request at a time. When the server closes an idle connection (Node's
 * keep-alive timeout is 5 s), the next request opens a new one; `connects` counts how often that happened.
 */
export class HttpConnection {
  private socket: net.Socket | undefined
  private pending: { readonly resolve: (a: Answer) => void; readonly reject: (e: Error) => void } | undefined
  private buffered: Buffer = Buffer.alloc(0)
  connects = 0

  constructor(private readonly port: number) {}

  private open(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port: this.port, noDelay: true })
      this.connects += 1
      socket.once("connect", () => {
        socket.off("error", reject)
        resolve(socket)
      })
      socket.once("error", reject)
      socket.on("data", (chunk: Buffer) => this.onData(chunk))
      socket.on("error", () => undefined)
      socket.on("close", () => {
        if (this.socket === socket) this.socket = undefined
        this.buffered = Buffer.alloc(0)
        const waiting = this.pending
        this.pending = undefined
        waiting?.reject(new Error("connection closed before the answer"))
      })
    })
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    const parsed = parseAnswer(this.buffered)
    if (parsed === undefined) return
    this.buffered = this.buffered.subarray(parsed.length)
    const waiting = this.pending
    this.pending = undefined
    waiting?.resolve(parsed.answer)
  }

  /** Sends one encoded request and resolves with its answer. */
  async send(request: Buffer): Promise<Answer> {
    const socket = this.socket !== undefined && !this.socket.destroyed ? this.socket : (this.socket = await this.open())
    return new Promise<Answer>((resolve, reject) => {
      this.pending = { resolve, reject }
      socket.write(request)
    })
  }

  close(): void {
    this.socket?.destroy()
    this.socket = undefined
  }
}
