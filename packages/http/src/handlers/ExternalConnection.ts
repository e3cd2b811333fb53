/**
 * The `connection` block of an external workspace created without a URL (§5.2): where the off-host agent registers
 * and heartbeats, its token (shown only here), and copy-paste snippets for each way of running the agent. Every
 * snippet is a template with `{{PLATFORM_URL}}` and `{{WORKSPACE_ID}}`, substituted the same way.
 */
import type { Headers } from "@effect/platform"
import type { Option } from "effect"

/**
 * `EXTERNAL_PLATFORM_URL`, else the request's scheme (`X-Forwarded-Proto`, else `http`: Berth's listener is plain
 * HTTP, TLS ends at a proxy) and host (`X-Forwarded-Host`, else `Host`); a trailing `/` removed; then the base path
 * the app is mounted under (`""` for `berth serve`), so every endpoint and snippet built on it reaches Berth.
 */
export const platformUrl = (configured: Option.Option<string>, headers: Headers.Headers, basePath = ""): string => {
  const base = configured._tag === "Some"
    ? configured.value
    : `${headers["x-forwarded-proto"] || "http"}://${headers["x-forwarded-host"] || headers["host"] || ""}`
  return base.replace(/\/+$/, "") + basePath
}

const curlRegister = `# Set your agent's public HTTPS endpoint, then run:
export WORKSPACE_AUTH_TOKEN="<paste from create response>"
export AGENT_URL="https://your-agent.example.com"

# The Origin header matters: the SaaS edge only lets same-origin calls through,
# and /workspaces/* answers an empty 404 without it.
curl -fsS -X POST "{{PLATFORM_URL}}/registry/register" \\
  -H "Authorization: Bearer $WORKSPACE_AUTH_TOKEN" \\
  -H "Origin: {{PLATFORM_URL}}" \\
  -H "Content-Type: application/json" \\
  -d '{
    "id": "{{WORKSPACE_ID}}",
    "url": "'"$AGENT_URL"'",
    "agent_card": {"name": "My External Agent", "description": "", "version": "0.1.0"}
  }'
`

const python = `# pip install 'git+https://github.com/Molecule-AI/molecule-sdk-python.git@main'
import asyncio
from molecule_agent import A2AServer, RemoteAgentClient

WORKSPACE_ID = "{{WORKSPACE_ID}}"
PLATFORM_URL = "{{PLATFORM_URL}}"
AUTH_TOKEN = "<paste from create response>"
INBOUND_URL = "https://your-agent.example.com/a2a/inbound"  # your public HTTPS endpoint


async def handle(request: dict) -> dict:
    # An echo agent: answer every text part with itself.
    text = "".join(p.get("text", "") for p in request.get("parts", []) if p.get("type") == "text")
    return {"parts": [{"type": "text", "text": f"echo: {text}"}]}


async def main() -> None:
    client = RemoteAgentClient(workspace_id=WORKSPACE_ID, platform_url=PLATFORM_URL, auth_token=AUTH_TOKEN)
    server = A2AServer(agent_id=client.workspace_id, inbound_url=INBOUND_URL, message_handler=handle)
    server.start_in_background()
    client.reported_url = INBOUND_URL
    client.register()                        # announce the agent once
    await client.run_heartbeat_loop_async()  # keeps the workspace online


if __name__ == "__main__":
    asyncio.run(main())
`

const claudeChannel = `# Claude Code channel: polls the platform, so no public URL or tunnel is needed.
mkdir -p ~/.claude/channels/molecule
cat > ~/.claude/channels/molecule/.env <<'ENV'
MOLECULE_PLATFORM_URL={{PLATFORM_URL}}
MOLECULE_WORKSPACE_IDS={{WORKSPACE_ID}}
MOLECULE_WORKSPACE_TOKENS=<paste from create response>
ENV
claude --channels plugin:molecule@Molecule-AI/molecule-mcp-claude-channel
`

const universalMcp = `# Universal MCP: the platform's tools in any MCP-aware agent runtime.
# 1) Install the workspace runtime (it provides the molecule-mcp command):
pip install molecule-ai-workspace-runtime

# 2) Register it with your agent (Claude Code shown):
claude mcp add molecule -s user -- env WORKSPACE_ID={{WORKSPACE_ID}} PLATFORM_URL={{PLATFORM_URL}} MOLECULE_WORKSPACE_TOKEN="<paste from create response>" molecule-mcp

# molecule-mcp registers the workspace and heartbeats every 20 s by itself, and sends the Origin header for you.
# Tools: delegate_task, delegate_task_async, check_task_status, list_peers, get_workspace_info,
# send_message_to_user, commit_memory, recall_memory.
# It only makes outbound calls: for inbound A2A delivery add the Claude Code channel or the Python SDK tab.
`

/** Every placeholder replaced, in every snippet. */
const stamp = (template: string, url: string, id: string): string =>
  template.replaceAll("{{PLATFORM_URL}}", url).replaceAll("{{WORKSPACE_ID}}", id)

/** The `connection` object; `authToken` is `""` when minting failed (logged by the caller). */
export const connection = (url: string, id: string, authToken: string) => ({
  workspace_id: id,
  platform_url: url,
  auth_token: authToken,
  registry_endpoint: `${url}/registry/register`,
  heartbeat_endpoint: `${url}/registry/heartbeat`,
  curl_register_template: stamp(curlRegister, url, id),
  python_snippet: stamp(python, url, id),
  claude_code_channel_snippet: stamp(claudeChannel, url, id),
  universal_mcp_snippet: stamp(universalMcp, url, id)
})
