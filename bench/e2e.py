#!/usr/bin/env python3
"""End-to-end latency of ADM_GenerateOTP and ADM_ValidateOTP against the local run.

Start the local run with users to spend (one send per user, or the cooldown answers 429):
    ./mvnw quarkus:dev -Dlocal-run.bench-users=600
then:
    python3 bench/e2e.py 500
Each round generates a code for a fresh user and validates a wrong code against it (the same two
DynamoDB round trips as a right one). The first 50 generates authenticate with FORM (an Argon2id
check every time); the rest present the returned TokenID, as a real client does. Bounded: N rounds
on loopback, then it stops.
"""
import json, statistics, sys, time, urllib.request

URL = "http://localhost:8080/REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall"
PROXY = {"AuthType": "FORM", "UserName": "google@sum.com", "Password": "XXXX@123", "OrgID": "1",
         "TokenID": "", "ReturnType": "JSON", "LoginUID": 0, "ProxyID": 0, "SAASOrgID": "0"}


def call(body):
    req = urllib.request.Request(URL, json.dumps(body).encode(), {"Content-Type": "application/json"})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            out, status = json.load(r), r.status
    except urllib.error.HTTPError as e:
        out, status = json.load(e), e.code
    return (time.perf_counter() - t) * 1000, status, out


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    form, gen, val, statuses = [], [], [], {}
    token = ""
    for i in range(n):
        uid = str(100_000 + i)
        by_form = i < 50 or not token
        proxy = PROXY if by_form else dict(PROXY, TokenID=token, Password="")
        ms, status, out = call({"ServiceName": "ADM_GenerateOTP", "objCommonParameters": {"_ProxyDetails": proxy,
               "objUserInformation": {"DomainId": 1, "UserID": uid, "LoginUID": uid, "UserName": "bench" + uid}}})
        statuses[("generate", status)] = statuses.get(("generate", status), 0) + 1
        if status != 200:
            continue
        (form if by_form else gen).append(ms)
        tx = out["OutputObject"]["OTP_Communication"][0]["TransactionID"]
        token = out.get("TokenID", "") or token
        proxy = dict(PROXY, TokenID=token, Password="")
        ms, status, _ = call({"ServiceName": "ADM_ValidateOTP", "objCommonParameters": {"_ProxyDetails": proxy,
               "objUserInformation": {"OTP_Text": "000000", "TransactionID": tx, "LoginUID": uid}}})
        statuses[("validate", status)] = statuses.get(("validate", status), 0) + 1
        val.append(ms)
    for name, xs in (("generate (FORM)", form), ("generate (TokenID)", gen), ("validate (TokenID)", val)):
        if xs:
            # the first 10% warm the JIT and the connection pools
            xs = xs[len(xs) // 10:]
            print(f"{name:22s} n={len(xs):4d}  p50={pct(xs, 50):6.1f} ms  p95={pct(xs, 95):6.1f} ms"
                  f"  p99={pct(xs, 99):6.1f} ms  mean={statistics.mean(xs):6.1f} ms")
    print("statuses:", {f"{k[0]} {k[1]}": v for k, v in sorted(statuses.items())})


if __name__ == "__main__":
    main()
