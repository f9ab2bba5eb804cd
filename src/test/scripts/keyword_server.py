#!/usr/bin/env python3
"""An independent OpenAI-compatible chat server (standard library only) for checking llmcls end to end.

It answers POST /v1/chat/completions from the prompt's "text: " line with a keyword classifier, in a handful of
answer styles that exercise the seed scoring rule (a marker, a reason first, no marker, a capital "Label", two names),
chosen deterministically from the text's md5. GET /v1/models lists one model.
Usage: keyword_server.py PORT [REJECT_MOD]: with REJECT_MOD, texts whose md5 is 0 mod REJECT_MOD get vLLM's 400
answer (as a prompt longer than the context would), so that runs have failed examples too.
"""
import hashlib
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "glm-4-9b-chat"
KEYWORDS = [
    ("Sports", ["game", "team", "season", "coach", "win", "cup", "league", "olymp", "match", "player"]),
    ("Business", ["oil", "stock", "shares", "profit", "market", "economy", "bank", "company", "deal", "price"]),
    ("Science | Technology", ["software", "computer", "internet", "microsoft", "space", "google", "tech", "web",
                              "science", "nasa"]),
]


def classify(text):
    lower = text.lower()
    best, best_hits = "World", 0
    for label, words in KEYWORDS:
        hits = sum(lower.count(w) for w in words)
        if hits > best_hits:
            best, best_hits = label, hits
    return best


REJECT_MOD = 0


def rejected(text):
    """Whether this text gets a 400 answer (REJECT_MOD set and its md5 is 0 mod REJECT_MOD)."""
    return REJECT_MOD > 0 and int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % REJECT_MOD == 0


def prompt_text(prompt):
    """The text of a seed-style prompt: after "text: ", up to the "label:" line."""
    start = prompt.find("text: ")
    end = prompt.find("\nlabel:", start)
    return prompt[start + 6:end if end >= 0 else len(prompt)]


def completion(request, content):
    """vLLM's chat completion body for one answer."""
    prompt = request["messages"][-1]["content"]
    return {
        "id": "chatcmpl-stub", "object": "chat.completion", "created": 0, "model": request.get("model", MODEL),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": len(content) // 4,
                  "total_tokens": len(prompt) // 4 + len(content) // 4},
    }


REJECTION = "This model's maximum context length is 8192 tokens (stand-in rejection)"


def answer(text):
    label = classify(text)
    style = int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % 6
    if style == 0:
        return "label: " + label
    if style == 1:
        return "reason: the text's keywords point there.\nlabel: " + label
    if style == 2:
        return "This text is about " + label + "."
    if style == 3:
        return "Label: " + label
    if style == 4:
        return "label: " + label + " or World"
    return "reason: hard to say\nlabel: Science and Technology" if label == "Science | Technology" else "label:" + label


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, payload):
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.rstrip("/") == "/v1/models":
            self.send_json(200, {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "stub"}]})
        else:
            self.send_json(404, {"error": {"message": "Not Found", "type": "NotFoundError", "param": None, "code": 404}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length) if length else b""
        if self.path.rstrip("/") != "/v1/chat/completions":
            self.send_json(404, {"error": {"message": "Not Found", "type": "NotFoundError", "param": None, "code": 404}})
            return
        try:
            request = json.loads(raw)
            prompt = request["messages"][-1]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            self.send_json(400, {"error": {"message": "Field required", "type": "BadRequestError", "param": None,
                                           "code": 400}})
            return
        text = prompt_text(prompt)
        if rejected(text):
            self.send_json(400, {"error": {"message": REJECTION, "type": "BadRequestError", "param": None,
                                           "code": 400}})
            return
        self.send_json(200, completion(request, answer(text)))


if __name__ == "__main__":
    if len(sys.argv) > 2:
        REJECT_MOD = int(sys.argv[2])
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    print("listening on %d" % server.server_address[1], flush=True)
    server.serve_forever()
