#!/usr/bin/env bash
# derive-provider.sh: Berth's hermes template picks its inference provider from the model slug at boot.
#
# Written for Berth (contract §9.1). Berth stores the same derivation at provision time
# (packages/core/src/ProviderDerivation.ts); `npm run gates` (gate provider-drift) parses the case below,
# runs this script on a corpus of slugs and fails on any drift. Accepted divergences: openai/* and
# nousresearch/*, where the key present in the container decides here and Berth stores openrouter.
#
# Usage: HERMES_DEFAULT_MODEL=minimax/MiniMax-M2.7 derive-provider.sh   # prints: minimax
# Keep one `prefix/*` pattern per alias: the gate compares prefixes, not globs.
set -eu

PROVIDER=""
case "${HERMES_DEFAULT_MODEL:-}" in
  minimax/*) PROVIDER="minimax" ;;
  minimax-cn/*) PROVIDER="minimax-cn" ;;
  minimax-oauth/*) PROVIDER="minimax-oauth" ;;
  anthropic/*) PROVIDER="anthropic" ;;
  gemini/*) PROVIDER="gemini" ;;
  deepseek/*) PROVIDER="deepseek" ;;
  zai/*) PROVIDER="zai" ;;
  kimi-coding/*) PROVIDER="kimi-coding" ;;
  kimi-coding-cn/*) PROVIDER="kimi-coding-cn" ;;
  qwen-oauth/*) PROVIDER="qwen-oauth" ;;
  alibaba-coding-plan/*) PROVIDER="alibaba-coding-plan" ;;
  ollama-cloud/*) PROVIDER="ollama-cloud" ;;
  kilocode/*) PROVIDER="kilocode" ;;
  opencode-zen/*) PROVIDER="opencode-zen" ;;
  opencode-go/*) PROVIDER="opencode-go" ;;
  openrouter/*) PROVIDER="openrouter" ;;
  custom/*) PROVIDER="custom" ;;
  gmi/*) PROVIDER="gmi" ;;
  google-gemini-cli/*) PROVIDER="google-gemini-cli" ;;
  openai-codex/*) PROVIDER="openai-codex" ;;
  copilot-acp/*) PROVIDER="copilot-acp" ;;
  copilot/*) PROVIDER="copilot" ;;
  alibaba/*|dashscope/*|qwen/*) PROVIDER="alibaba" ;;
  xiaomi/*|mimo/*) PROVIDER="xiaomi" ;;
  arcee/*|arcee-ai/*) PROVIDER="arcee" ;;
  nvidia/*|nim/*) PROVIDER="nvidia" ;;
  huggingface/*|hf/*) PROVIDER="huggingface" ;;
  ai-gateway/*|aigateway/*) PROVIDER="ai-gateway" ;;
  xai/*|grok/*) PROVIDER="xai" ;;
  bedrock/*|aws/*) PROVIDER="bedrock" ;;
  tencent/*|tencent-tokenhub/*) PROVIDER="tencent-tokenhub" ;;
  lmstudio/*|lm-studio/*) PROVIDER="lmstudio" ;;
  openai/*)
    # With an OpenAI key the agent calls OpenAI itself through the custom (OpenAI-compatible) endpoint;
    # without one, OpenRouter serves openai/* models. Berth stores openrouter (accepted divergence).
    if [ -n "${OPENAI_API_KEY:-}" ]; then
      PROVIDER="custom"
    else
      PROVIDER="openrouter"
    fi
    ;;
  nousresearch/*)
    # A Nous key selects Nous Portal directly; otherwise OpenRouter hosts the Hermes models.
    if [ -n "${HERMES_API_KEY:-}${NOUS_API_KEY:-}" ]; then
      PROVIDER="nous"
    else
      PROVIDER="openrouter"
    fi
    ;;
  *)
    # No rule: let hermes auto-detect from the keys it has. Berth writes no LLM_PROVIDER in this case.
    PROVIDER="auto"
    ;;
esac

printf '%s\n' "$PROVIDER"
