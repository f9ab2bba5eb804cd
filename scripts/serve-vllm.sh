#!/usr/bin/env bash
# Starts vLLM's OpenAI-compatible server for GLM-4-9B-Chat, the seed experiment's model.
#
# GPU memory: the bf16 weights take about 19 GB; with --max-model-len 8192 (AG News prompts are < 400 tokens and
# answers are capped at 1024) one 24 GB GPU works, and a 40-80 GB GPU leaves most of its memory to the KV cache,
# which is what lets vLLM batch hundreds of requests at once.
#
# Environment (all optional):
#   MODEL=THUDM/glm-4-9b-chat   model path or hub id (point it at a local copy on machines without a hub)
#   PORT=8000                   port of the OpenAI API (http://localhost:$PORT/v1)
#   GPUS=0                      CUDA_VISIBLE_DEVICES
#   TP=1                        tensor parallel size
#   MAX_MODEL_LEN=8192          context length to reserve
#   GPU_MEMORY_UTILIZATION=0.90
#   EXTRA_ARGS=""               more vllm serve flags
set -euo pipefail
MODEL="${MODEL:-THUDM/glm-4-9b-chat}"
PORT="${PORT:-8000}"
export CUDA_VISIBLE_DEVICES="${GPUS:-${CUDA_VISIBLE_DEVICES:-0}}"
exec vllm serve "$MODEL" \
  --served-model-name glm-4-9b-chat \
  --trust-remote-code \
  --host 0.0.0.0 --port "$PORT" \
  --tensor-parallel-size "${TP:-1}" \
  --max-model-len "${MAX_MODEL_LEN:-8192}" \
  --gpu-memory-utilization "${GPU_MEMORY_UTILIZATION:-0.90}" \
  --enable-prefix-caching \
  --max-num-seqs "${MAX_NUM_SEQS:-256}" \
  ${EXTRA_ARGS:-}
