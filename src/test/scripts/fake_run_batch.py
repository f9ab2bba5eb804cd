#!/usr/bin/env python3
"""Plays `vllm run-batch -i INPUT -o OUTPUT` for the tests, with keyword_server.py's answers.

Reads OpenAI batch input lines {custom_id, method, url, body}, answers each chat request as keyword_server.py would
online (the same answer for the same prompt), and writes vLLM's batch output lines in input order, with vLLM's
shapes (vllm/entrypoints/openai/run_batch.py: BatchRequestOutput, BatchResponseData, make_error_request_output):
  success:           {"id": "vllm-...", "custom_id", "response": {"status_code": 200, "request_id", "body"}, "error": null}
  ErrorResponse:     {"id", "custom_id", "response": {"status_code": 400, "request_id", "body": null},
                      "error": {"error": {"message", "type", "param", "code"}}}
  exception:         {"id", "custom_id", "response": {"status_code": 400, "request_id", "body": null}, "error": "..."}
Usage: fake_run_batch.py -i INPUT -o OUTPUT [--reject-mod K]  (rejected texts as keyword_server.py PORT K rejects
them: the first half of them as an ErrorResponse, the others as an exception's string).
"""
import argparse
import json
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keyword_server  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-i", "--input-file", required=True)
    parser.add_argument("-o", "--output-file", required=True)
    parser.add_argument("--reject-mod", type=int, default=0)
    args = parser.parse_args()
    keyword_server.REJECT_MOD = args.reject_mod
    rejections = 0
    with open(args.input_file, encoding="utf-8") as source, open(args.output_file, "w", encoding="utf-8") as out:
        for line in source:
            line = line.strip()
            if not line:
                continue
            request = json.loads(line)
            assert request["method"] == "POST" and request["url"] == "/v1/chat/completions", request
            body = request["body"]
            assert body["model"] == keyword_server.MODEL, "the stand-in serves " + keyword_server.MODEL
            output = {"id": "vllm-" + uuid.uuid4().hex, "custom_id": request["custom_id"],
                      "response": {"status_code": 200, "request_id": "vllm-batch-" + uuid.uuid4().hex}, "error": None}
            text = keyword_server.prompt_text(body["messages"][-1]["content"])
            if keyword_server.rejected(text):
                output["response"]["status_code"] = 400
                output["response"]["body"] = None
                rejections += 1
                if rejections % 2 == 1:
                    output["error"] = {"error": {"message": keyword_server.REJECTION, "type": "BadRequestError",
                                                 "param": None, "code": 400}}
                else:
                    output["error"] = keyword_server.REJECTION
            else:
                choices = []
                result = None
                for i in range(body.get("n") or 1):
                    result = keyword_server.completion(body, keyword_server.answer(text))
                    choice = result["choices"][0]
                    choice["index"] = i
                    choices.append(choice)
                result["choices"] = choices
                output["response"]["body"] = result
            out.write(json.dumps(output) + "\n")


if __name__ == "__main__":
    main()
