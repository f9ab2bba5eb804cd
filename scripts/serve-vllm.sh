#!/usr/bin/env bash
# Starts vLLM's OpenAI-compatible server for GLM-4-9B-Chat, the seed experiment's model.
#
# Access: it listens on 127.0.0.1 only, unless HOST says otherwise. Bound to any other address it refuses to start
# without an API key, read from the environment variable that API_KEY_ENV names (default OPENAI_API_KEY, the variable
# llmcls reads by default, so one `export OPENAI_API_KEY=...` serves both sides). The key reaches vLLM as VLLM_API_KEY,
# which vLLM treats exactly as --api-key, so that it never shows in the process list (`ps` shows every process's
# arguments to every user of the machine).
#
# Which model loads on which vLLM (details and sources in docs/runs-and-resume.md, "Pointing it at a server"):
#   THUDM/glm-4-9b-chat       the seed's model: its own code (--trust-remote-code), which GLM-4's maintainers support
#                             on transformers 4.44-4.45 only (4.46 moved GLM into transformers itself). Current vLLM
#                             requires transformers >= 4.56, so it needs an older vLLM of the 0.6 series (not tried here).
#   zai-org/glm-4-9b-chat-hf  the same weights in transformers' own GlmForCausalLM (vLLM >= 0.6.4, transformers >=
#                             4.46; no remote code): use this one with a current vLLM: MODEL=zai-org/glm-4-9b-chat-hf.
#                             Same tokenizer and end-of-turn tokens; its chat template is its own copy of GLM-4's format,
#                             so check a rendered prompt (vLLM's POST /tokenize) before comparing figures with the seed's.
#
# GPU memory: the bf16 weights take about 19 GB; with --max-model-len 8192 (AG News prompts are < 400 tokens and
# answers are capped at 1024) one 24 GB GPU works, and a 40-80 GB GPU leaves most of its memory to the KV cache,
# which is what lets vLLM batch hundreds of requests at once.
#
# Environment (all optional):
#   MODEL=THUDM/glm-4-9b-chat   model path or hub id (point it at a local copy on machines without a hub)
#   HOST=127.0.0.1              address to listen on; anything else requires the API key
#   PORT=8000                   port of the OpenAI API (http://$HOST:$PORT/v1)
#   API_KEY_ENV=OPENAI_API_KEY  name of the variable that holds the API key (used whenever it is set)
#   GPUS=0                      CUDA_VISIBLE_DEVICES
#   TP=1                        tensor parallel size
#   MAX_MODEL_LEN=8192          context length to reserve
#   GPU_MEMORY_UTILIZATION=0.90
#   EXTRA_ARGS=""               more vllm serve flags
set -euo pipefail
MODEL="${MODEL:-THUDM/glm-4-9b-chat}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
API_KEY_ENV="${API_KEY_ENV:-OPENAI_API_KEY}"
if [[ ! "$API_KEY_ENV" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
  echo "serve-vllm.sh: API_KEY_ENV='$API_KEY_ENV' is not a variable name" >&2
  exit 2
fi
api_key="${!API_KEY_ENV:-}"
case "$HOST" in
  127.0.0.1 | localhost | ::1) ;;
  *)
    if [[ -z "$api_key" ]]; then
      echo "serve-vllm.sh: HOST=$HOST lets other machines reach the server: set an API key first," >&2
      echo "  e.g. export $API_KEY_ENV=\"\$(openssl rand -hex 24)\"; llmcls reads the same variable" >&2
      echo "  (--api-key-env $API_KEY_ENV), or keep HOST=127.0.0.1 and use an SSH tunnel." >&2
      exit 2
    fi
    ;;
esac
if [[ -n "$api_key" ]]; then
  export VLLM_API_KEY="$api_key" # read by vLLM exactly as --api-key, without putting the key on the command line
  echo "serve-vllm.sh: requests must carry the API key from \$$API_KEY_ENV" >&2
fi
remote_code=(--trust-remote-code)
case "$MODEL" in
  *-hf | *-hf/) remote_code=() ;; # transformers' own implementation: no code from the hub is run
esac
export CUDA_VISIBLE_DEVICES="${GPUS:-${CUDA_VISIBLE_DEVICES:-0}}"
exec vllm serve "$MODEL" \
  --served-model-name glm-4-9b-chat \
  "${remote_code[@]}" \
  --host "$HOST" --port "$PORT" \
  --tensor-parallel-size "${TP:-1}" \
  --max-model-len "${MAX_MODEL_LEN:-8192}" \
  --gpu-memory-utilization "${GPU_MEMORY_UTILIZATION:-0.90}" \
  --enable-prefix-caching \
  --max-num-seqs "${MAX_NUM_SEQS:-256}" \
  ${EXTRA_ARGS:-}
