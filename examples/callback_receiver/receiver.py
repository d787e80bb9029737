#!/usr/bin/env python3
"""A result-callback receiver for nojd (docs/callbacks.md), standard library only.

What an online judge's back-end does with nojd's callbacks, in one file a Normal-OJ-like
back-end (Flask + MongoDB) can adapt:

  1. verify the Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature)
     with the deployment's secret (secrets.json "callback_secret") and refuse stale timestamps;
  2. deduplicate by webhook-id: nojd delivers at least once, so a retry of an event the back-end
     already applied (its 2xx was lost, or the node died before recording it) must change nothing;
  3. apply the result (here: one JSON line per event appended to --out; a real back-end updates
     its submission record, then answers);
  4. answer 2xx only once the result is stored: anything else makes nojd retry later.

    receiver.py --secret-file DATA_DIR/secrets.json --out events.jsonl [--port 0]

Prints "listening on 127.0.0.1:PORT" once ready. Test hooks (not part of what a back-end needs):
--mode-file FILE whose content, read per request, makes it answer "ok" (204, the default), "500",
"410", "redirect" (302 to itself), "hang" (never answer, keep the connection) or "slow" (answer
after 3 s).
"""

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import os
import sys
import threading
import time

TOLERANCE_S = 5 * 60  # Standard Webhooks' recommended window against replays


def load_secret(args):
    if args.secret:
        return args.secret
    with open(args.secret_file, encoding="utf-8") as f:
        return json.load(f)["callback_secret"]


def verify(secret, headers, body):
    """Returns the event id when the request is nojd's, else raises ValueError."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        raise ValueError("missing webhook headers")
    if abs(time.time() - int(timestamp)) > TOLERANCE_S:
        raise ValueError("timestamp outside the tolerance")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in signatures.split(" "):
        version, _, sig = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(sig, expected):
            return msg_id
    raise ValueError("no valid signature")


class Events:
    """The back-end's side: applied event ids (a unique index in a real database)."""

    def __init__(self, out_path):
        self.out_path = out_path
        self.lock = threading.Lock()
        self.seen = set()
        if os.path.exists(out_path):
            with open(out_path, encoding="utf-8") as f:
                for line in f:
                    record = json.loads(line)
                    if not record.get("duplicate"):
                        self.seen.add(record["id"])

    def apply(self, msg_id, submission):
        with self.lock:
            duplicate = msg_id in self.seen
            self.seen.add(msg_id)
            record = {"id": msg_id, "duplicate": duplicate, "received_at": time.time(),
                      "submission_id": submission.get("submission_id"),
                      "status": submission.get("status"), "score": submission.get("score")}
            with open(self.out_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
                f.flush()
                os.fsync(f.fileno())
            return duplicate


def make_handler(secret, events, mode_file):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):  # quiet: one line per request is noise in tests
            pass

        def answer(self, code, body=b""):
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            if length > 16 * 1024 * 1024:
                return self.answer(413)
            body = self.rfile.read(length)
            mode = "ok"
            if mode_file and os.path.exists(mode_file):
                with open(mode_file, encoding="utf-8") as f:
                    mode = f.read().strip() or "ok"
            if mode == "hang":
                time.sleep(3600)
                return None
            if mode == "slow":
                time.sleep(3)
            if mode == "500":
                return self.answer(500, b"back-end restarting")
            if mode == "410":
                return self.answer(410)
            if mode == "redirect":
                self.send_response(302)
                self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            try:
                msg_id = verify(secret, self.headers, body)
                submission = json.loads(body)
            except (ValueError, json.JSONDecodeError) as e:
                return self.answer(401, str(e).encode())
            events.apply(msg_id, submission)
            return self.answer(204)

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret", help="whsec_... (else --secret-file)")
    parser.add_argument("--secret-file", help="nojd's secrets.json")
    parser.add_argument("--out", required=True, help="JSON lines, one per event received")
    parser.add_argument("--mode-file", help="test hook, see the module's doc")
    args = parser.parse_args()
    if not args.secret and not args.secret_file:
        parser.error("--secret or --secret-file is required")
    server = http.server.ThreadingHTTPServer(
        (args.host, args.port), make_handler(load_secret(args), Events(args.out), args.mode_file))
    server.daemon_threads = True
    print(f"listening on {args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
