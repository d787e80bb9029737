#!/usr/bin/env python3
"""Writes the seed corpus (fuzz/corpus/<target>/) and dictionaries (fuzz/dict/).

Seeds are small valid and near-valid inputs: real requests of protocol.md against the state the
HTTP harness seeds (fuzz/support/server_harness.h: fixed tokens and ids), a valid testdata zip, a
valid result body, real job payloads. Re-run after changing the harness's constants:
    python3 fuzz/make_corpus.py
"""
import hashlib
import hmac
import io
import json
import os
import shutil
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

API = "fuzz-api-token-0123456789"
REG = "fuzz-registration-token-0123456789"
SANDBOX = "fuzz-sandbox-token-0123456789"
CODE_KEY = "fuzz-code-url-key-0123456789"
RK = "rk_FuzzRunnerToken0000000000000000000000000001"
RK2 = "rk_FuzzRunnerToken0000000000000000000000000002"
RN = "rn_01KA0000000000000000000001"
RN2 = "rn_01KA0000000000000000000002"
SN_LEASED, JB_LEASED = "sn_01KA0000000000000000000011", "jb_01KA0000000000000000000011"
SN_JUDGED, JB_JUDGED = "sn_01KA0000000000000000000012", "jb_01KA0000000000000000000012"
SN_PENDING = "sn_01KA0000000000000000000013"
NOW_S = 1767225600


def req(method, target, body=b"", headers=(), ctype="application/json"):
    if isinstance(body, str):
        body = body.encode()
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1:8080"]
    lines += list(headers)
    if body or method in ("POST", "PUT"):
        if ctype:
            lines.append(f"Content-Type: {ctype}")
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def bearer(token):
    return (f"Authorization: Bearer {token}",)


def testdata_zip(layout=((0, 1), (1, 2)), extra=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for task, cases in layout:
            for c in range(cases):
                z.writestr(f"{task:02d}{c:02d}.in", f"{task} {c}\n")
                z.writestr(f"{task:02d}{c:02d}.out", f"{task + c}\n")
        for name in extra:
            z.writestr(name, "x\n")
    return buf.getvalue()


def case(status="AC", out="3\n", err=""):
    return {"status": status, "exitCode": 0, "execTime": 12, "memoryUsage": 1024,
            "stdout": out, "stderr": err}


RESULT_OK = json.dumps({"tasks": [[case()], [case(), case("WA", "5\n")]]})
RESULT_CE = json.dumps({"tasks": [[case("CE", "", "main.cpp:1: error")], [case("CE"), case("CE")]]})
TASKS = [{"taskScore": 40, "caseCount": 1, "memoryLimit": 65536, "timeLimit": 1000},
         {"taskScore": 60, "caseCount": 2, "memoryLimit": 65536, "timeLimit": 1000}]


def code_link(sid=SN_JUDGED, expires=NOW_S + 3600, key=CODE_KEY):
    sig = hmac.new(key.encode(), f"code:{sid}:{expires}".encode(), hashlib.sha256).hexdigest()
    return f"/code/{sid}?expires={expires}&sig={sig}"


def payload(wrapped=False, **over):
    p = {"job_id": JB_LEASED, "submission_id": SN_LEASED, "problem_id": 1, "language": 1,
         "attempt": 1, "code_url": "http://127.0.0.1:8080" + code_link(SN_LEASED),
         "checker": None,
         "tasks": [dict(t, task_id=i, case_count=t["caseCount"], memory_limit=t["memoryLimit"],
                        time_limit=t["timeLimit"]) for i, t in enumerate(TASKS)]}
    p.update(over)
    if wrapped:
        return {**p, "status": "ok", "message": "", "data": p}
    return p


SEEDS = {
    "fuzz_http_runner_api": [
        req("POST", "/runners/register", json.dumps({"registration_token": REG, "name": "judge-1"})),
        req("POST", "/runners/register", json.dumps({"registrationToken": "wrong"})),
        req("POST", f"/runners/{RN}/heartbeat",
            json.dumps({"active_job_ids": [JB_LEASED], "want_hints": True}), bearer(RK)),
        req("POST", f"/runners/{RN}/heartbeat", "", bearer(RK)),
        req("GET", f"/runners/{RN}/next-job", headers=bearer(RK)),
        req("GET", f"/runners/{RN}/next-job?wait=0", headers=bearer(RK2)),
        req("PUT", f"/runners/{RN}/jobs/{JB_LEASED}/complete", RESULT_OK,
            bearer(RK) + ("X-Job-Attempt: 1",)),
        req("PUT", f"/runners/{RN}/jobs/{JB_LEASED}/complete", RESULT_CE, bearer(RK)),
        req("PUT", f"/runners/{RN}/jobs/{JB_LEASED}/complete", '{"tasks":[[]]}',
            bearer(RK) + ("X-Job-Attempt: 2",)),
        req("PUT", f"/runners/{RN}/jobs/{JB_LEASED}/abort", '{"reason":"drain"}', bearer(RK)),
        req("PUT", f"/runners/{RN2}/jobs/{JB_LEASED}/abort", '{"reason":"prep_failed"}',
            bearer(RK2)),
    ],
    "fuzz_http_testdata_api": [
        req("GET", "/problem/1/testdata", headers=bearer(RK)),
        req("GET", f"/problem/1/meta?token={RK}"),
        req("GET", f"/problem/1/checksum?token={SANDBOX}"),
        req("GET", "/problem/2/checksum", headers=bearer(RK2)),
        req("GET", "/problem/99/testdata", headers=bearer(RK)),
        req("GET", code_link()),
        req("GET", code_link(expires=NOW_S - 1)),
    ],
    "fuzz_http_problems_api": [
        req("POST", "/problems", json.dumps({"title": "A+B", "tasks": TASKS}), bearer(API)),
        req("POST", "/problems",
            json.dumps({"title": "x", "tasks": [{"task_score": 100, "case_count": 99,
                                                  "memory_limit": 1024, "time_limit": 1}]}),
            bearer(API)),
        req("GET", "/problems/1", headers=bearer(API)),
        req("PUT", "/problems/1/testdata", testdata_zip(), bearer(API), "application/zip"),
        req("PUT", "/problems/2/testdata", testdata_zip(((0, 1),), ("chaos/run.sh",)), bearer(API),
            "application/zip"),
        req("PUT", "/problems/1/testdata", testdata_zip(((0, 1),), ("extra.txt",)), bearer(API),
            "application/octet-stream"),
    ],
    "fuzz_http_submissions_api": [
        req("POST", "/submissions",
            json.dumps({"problem_id": 1, "language": 1, "code": "int main(){}", "priority": 0}),
            bearer(API)),
        req("POST", "/submissions", json.dumps({"problemId": 2, "language": 2, "code": "print(1)"}),
            bearer(API)),
        req("GET", f"/submissions/{SN_JUDGED}", headers=bearer(API)),
        req("GET", f"/submissions/{SN_PENDING}?wait=1", headers=bearer(API)),
        req("GET", f"/submissions/{SN_JUDGED}/cases/1/1", headers=bearer(API)),
        req("POST", f"/submissions/{SN_LEASED}/rejudge", '{"priority":2}', bearer(API)),
        req("GET", f"/submissions?problem_id=1&status=-1&limit=2&before={SN_PENDING}",
            headers=bearer(API)),
    ],
    "fuzz_http_admin_api": [
        req("GET", "/runners", headers=bearer(API)),
        req("DELETE", f"/runners/{RN2}", headers=bearer(API)),
        req("DELETE", "/runners/rn_nope", headers=bearer(API)),
        req("GET", "/queue", headers=bearer(API)),
        req("GET", "/healthz"),
        req("GET", "/metrics"),
    ],
    "fuzz_result_parser": [
        RESULT_OK.encode(),
        RESULT_CE.encode(),
        json.dumps({"tasks": [[case("TLE", "é" * 40)], [case("MLE"), case("OLE", "", "\u00ff" * 50)]]}).encode(),
        b'{"tasks":[[{"status":"XX","exitCode":0}]]}',
        json.dumps({"status": 1, "score": 40, "execTime": 12, "memoryUsage": 1024,
                    "tasks": [{"status": 0, "score": 40, "execTime": 12, "memoryUsage": 1024,
                               "cases": [{"status": 0, "execTime": 12, "memoryUsage": 1024,
                                          "exitCode": 0}]}]}).encode(),
        json.dumps(TASKS).encode(),
    ],
    "fuzz_testdata_zip": [
        testdata_zip(),
        testdata_zip(((0, 1),), ("chaos/", "chaos/run.sh")),
        testdata_zip(((0, 2),), ("../evil",)),
        testdata_zip()[:-10],
    ],
    "fuzz_runner_responses": [
        # byte 0 picks the status: 0 → 200, 4 → 201, 6 → 204, 7 → 400, 8 → 401, 11 → 409, 17 → 503.
        bytes([4]) + json.dumps({"runner_id": RN, "token": RK, "config": {
            "heartbeat_interval_sec": 15, "poll_interval_sec": 3, "max_concurrent_jobs": 8},
            "status": "ok", "message": "", "data": {"runner_id": RN, "token": RK}}).encode(),
        bytes([0]) + json.dumps(payload(wrapped=True)).encode(),
        bytes([0]) + json.dumps({"status": "ok", "message": "", "data": payload()}).encode(),
        bytes([0]) + json.dumps(payload(language=7)).encode(),
        bytes([0]) + json.dumps({"cancel": [JB_LEASED], "status": "ok", "message": "",
                                 "data": {"cancel": [JB_LEASED]}}).encode(),
        bytes([0]) + b'{"status":"ok","message":"","data":"0cc175b9c0f1b6a831c399e269772661"}',
        bytes([0]) + json.dumps({"status": "ok", "message": "", "data": {"tasks": TASKS}}).encode(),
        bytes([6]),
        bytes([8]) + b'{"status":"err","message":"invalid runner token","data":null}',
        bytes([11]) + b'{"status":"err","message":"attempt 1 is not the current attempt 2","data":null}',
        bytes([17]) + b"<html>Service Unavailable</html>",
        # Found by this fuzzer in CI: a number beyond int64 parses as a double (json::GetInt).
        bytes([4]) + b'{"runner_id":"' + RN.encode() + b'","token":"' + RK.encode() +
        b'","config":{"heartbeat_interval_sec":15,"poll_interval_sec":3,"max_concurrent_jobs":8' +
        b"5" * 100 + b'}}',
    ],
}

DICTS = {
    "http": ["GET", "POST", "PUT", "DELETE", "HTTP/1.1", "Authorization: Bearer ",
             "Content-Type: application/json", "Content-Length: ", "Transfer-Encoding: chunked",
             "X-Job-Attempt: ", API, REG, SANDBOX, RK, RK2, RN, RN2, SN_LEASED, JB_LEASED,
             SN_JUDGED, JB_JUDGED, SN_PENDING, "%2F", "%00", "..", "?wait=", "?token=", "&sig=",
             "?expires="],
    "json": ['"status"', '"message"', '"data"', '"tasks"', '"taskScore"', '"caseCount"',
             '"memoryLimit"', '"timeLimit"', '"exitCode"', '"execTime"', '"memoryUsage"',
             '"stdout"', '"stderr"', '"AC"', '"WA"', '"CE"', '"TLE"', '"MLE"', '"RE"', '"JE"',
             '"OLE"', "null", "true", "false", "-1", "9007199254740993", "1e308", '"\\u0000"',
             '"\\ud800"'],
}
AREA_WORDS = {
    "fuzz_http_runner_api": ["/runners/register", "/heartbeat", "/next-job", "/jobs/", "/complete",
                             "/abort", '"registration_token"', '"name"', '"active_job_ids"',
                             '"want_hints"', '"reason"', '"drain"'],
    "fuzz_http_testdata_api": ["/problem/", "/testdata", "/meta", "/checksum", "/code/"],
    "fuzz_http_problems_api": ["/problems", "/testdata", '"title"', "application/zip", "PK\\x03\\x04",
                               "0000.in", "0000.out", "chaos/"],
    "fuzz_http_submissions_api": ["/submissions", "/cases/", "/rejudge", '"problem_id"',
                                  '"language"', '"code"', '"priority"', "problem_id=", "status=",
                                  "limit=", "before="],
    "fuzz_http_admin_api": ["/runners", "/queue", "/healthz", "/metrics"],
    "fuzz_result_parser": [],
    "fuzz_testdata_zip": ["PK\\x03\\x04", "PK\\x01\\x02", "PK\\x05\\x06", "0000.in", "0000.out",
                          "chaos/", "../", "/"],
    "fuzz_runner_responses": ['"runner_id"', '"token"', '"config"', '"heartbeat_interval_sec"',
                              '"poll_interval_sec"', '"max_concurrent_jobs"', '"cancel"',
                              '"job_id"', '"submission_id"', '"problem_id"', '"language"',
                              '"attempt"', '"code_url"', '"checker"', '"task_id"', '"case_count"',
                              '"memory_limit"', '"time_limit"', RN, RK, JB_LEASED, SN_LEASED],
}


def dict_line(word):
    out = ""
    for ch in word:
        if ch == '"' or ch == "\\" and not word.startswith("PK"):
            out += "\\" + ch
        else:
            out += ch
    return f'"{out}"'


def main():
    corpus = os.path.join(HERE, "corpus")
    dicts = os.path.join(HERE, "dict")
    for target, seeds in SEEDS.items():
        d = os.path.join(corpus, target)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for i, s in enumerate(seeds):
            with open(os.path.join(d, f"seed-{i:02d}"), "wb") as f:
                f.write(s)
    os.makedirs(dicts, exist_ok=True)
    for target, words in AREA_WORDS.items():
        base = DICTS["http"] + DICTS["json"] if target.startswith("fuzz_http") else DICTS["json"]
        if target == "fuzz_testdata_zip":
            base = []
        with open(os.path.join(dicts, f"{target}.dict"), "w") as f:
            f.write(f"# libFuzzer dictionary for {target} (generated by fuzz/make_corpus.py)\n")
            for w in base + words:
                f.write(dict_line(w) + "\n")


if __name__ == "__main__":
    main()
