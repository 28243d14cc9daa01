#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/<target>/ (committed; run again only to change
them). Sealed personal parts are sealed with libsodium (through ctypes) to the fixed fuzzing key
of tests/fuzz/fuzz_util.h, so the fuzzers start past the seal.
Usage: python3 tests/fuzz/make_seeds.py"""
import base64, ctypes, ctypes.util, hashlib, json, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PUBLIC_KEY = "HgyeMtAScOsolUAWaFTn6fE/cNK1WJ3f0w2DpizQoQ0="   # fuzz_util.h

sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
assert sodium.sodium_init() >= 0


def seal(personal):
    plain = json.dumps(personal, ensure_ascii=False).encode()
    pk = base64.b64decode(PUBLIC_KEY)
    out = ctypes.create_string_buffer(len(plain) + 48)
    assert sodium.crypto_box_seal(out, plain, ctypes.c_ulonglong(len(plain)), pk) == 0
    return base64.b64encode(out.raw).decode()


def rec(kind, payload, n, sealed=""):
    return {"id": "019a6b2e-3c4d-7e5f-8a9b-0c1d2e3f4a%02x" % n, "kind": kind, "schema_version": 1,
            "created_at": "2026-11-18T01:02:03Z", "kiosk_id": "k1", "centre_id": "ohdono",
            "payload": payload, "sealed": sealed}


HANAKO = {"name": "山田 花子", "furigana": "やまだ はなこ", "phone": "083-922-1111", "email": ""}
RECORDS = [
    rec("opinion", {"topic": "防災", "text": "避難所の案内をもっと大きく\n二行目", "activity_id": "", "wants_reply": False}, 1),
    rec("opinion", {"topic": "", "text": "返事がほしい", "activity_id": "ev-open", "wants_reply": True}, 2, seal(HANAKO)),
    rec("sign_up", {"activity_id": "ev-small", "activity_version": 1, "party_size": 2, "note": "車いす", "check_code": "0421"},
        3, seal(HANAKO)),
    rec("survey_response", {"survey_id": "sv-1", "survey_version": 1, "answers": [
        {"question_id": "q1", "choice": 0}, {"question_id": "q2", "choices": [0, 2]},
        {"question_id": "q3", "scale": 4}, {"question_id": "q4", "text": "とくになし"}]}, 4),
    rec("public_comment", {"draft_id": "pc-1", "section_id": "s1", "text": "第3条に賛成です。"}, 5,
        seal({"name": "匿名", "furigana": "", "phone": "", "email": "a@example.jp"})),
    rec("proposal", {"title": "夜の見守り", "summary": "月に一度の見回り", "fields": ["防災", "福祉"], "group_name": "有志",
                     "partner_department": "防災危機管理課"}, 6, seal(HANAKO)),
]
BAD = [
    dict(RECORDS[0], schema_version=1e30),
    dict(RECORDS[0], schema_version=18446744073709551615),
    dict(RECORDS[2], payload=dict(RECORDS[2]["payload"], party_size=-9.3e18)),
    dict(RECORDS[0], created_at="2041-12-31T23:59:59Z"),
    dict(RECORDS[0], kiosk_id="other"),
    dict(RECORDS[2], sealed="AAAA"),
    {"id": 3, "kind": ["opinion"]},
]


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def dumps(x):
    return json.dumps(x, ensure_ascii=False)


def main():
    shutil.rmtree(os.path.join(HERE, "corpus"), ignore_errors=True)
    for i, r in enumerate(RECORDS + BAD):
        write("records", "rec-%02d.json" % i, dumps(r))
    envelope = {"kiosk_id": "k1", "app_version": "0.1.0", "backlog": 3, "records": RECORDS,
                "signup_acks": [{"id": RECORDS[2]["id"], "signup_status": "confirmed"}]}
    write("push", "plain-all", b"\x00" + dumps(envelope).encode())
    write("push", "gzip-all", b"\x01" + dumps(envelope).encode())
    write("push", "empty", b"\x00" + b'{"records":[]}')
    write("push", "bad-records", b"\x00" + dumps({"records": BAD}).encode())
    write("push", "bad-envelope", b"\x00" + b'{"records":{},"backlog":-1,"app_version":7,"signup_acks":[1]}')
    write("push", "not-json", b"\x00" + b'<html>captive portal</html>')
    # Catalogs: the sample's first entries of each list, a delta with deletions, wrong types.
    with open(os.path.join(ROOT, "assets", "catalog", "sample_catalog.json"), encoding="utf-8") as f:
        cat = json.load(f)
    small = {k: (v[:3] if isinstance(v, list) else v) for k, v in cat.items()}
    write("catalog", "sample-head.json", dumps(small))
    write("catalog", "delta.json", dumps({"version": 9, "full": False,
                                          "deleted": {"activities": ["act-001"], "surveys": [], "centres": [], "organizations": []}}))
    write("catalog", "huge-version.json", '{"version": 1e30}')
    write("catalog", "bad-types.json", '{"version": 2, "activities": [{"id": 1}], "deleted": {"activities": "x"}}')
    bundle = {"format": "kyodo-bundle/1", "kiosk_id": "k1", "centre_id": "ohdono", "created_at": "2026-11-18T01:02:03Z",
              "app_version": "0.1.0", "records": RECORDS}
    write("bundle", "bundle.json", dumps(bundle))
    write("bundle", "unknown-kiosk.json", dumps(dict(bundle, kiosk_id="nobody")))
    write("bundle", "bad-records.json", dumps(dict(bundle, records=BAD)))
    write("bundle", "wrong-format.json", '{"format":"kyodo-bundle/2","records":[]}')
    write("form", "login", "user=admin&password=p%40ss+word&csrf=abc")
    write("form", "activity", "title=%E9%98%B2%E7%81%BD&fields=%E9%98%B2%E7%81%BD%E3%80%81%E7%A6%8F%E7%A5%89&starts_date=2026-12-05"
                              "&starts_time=10%3A00&ends_date=2026-02-30&capacity=40&id=act-1&id=act-2")
    write("form", "broken", "a=%&b=%zz&=x&&c=%E9%98&d=%00%0D%0A")
    for i, v in enumerate(["120", "0", "Sun, 06 Nov 1994 08:49:37 GMT", "Wed, 18 Nov 2026 01:02:03 GMT",
                           "99999999999999999999", "-1", " 7 ", "Fri, 31 Dec 9999 23:59:59 GMT"]):
        write("retry_after", "v%d" % i, v)
    for i, v in enumerate(["避難所の案内をもっと大きく", "ｶﾀｶﾅ ＡＢＣ abc", "𠮷野家🍣", "a\tb\nc\r\x01"]):
        write("utf8", "text%d" % i, v)
    for i, v in enumerate([b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe3\x81", b"\xff\xfe"]):
        write("utf8", "bad%d" % i, v)
    for i, (w, t) in enumerate([(300, "避難所の開設と炊き出しを体験します。動きやすい服装でお越しください。"),
                                (120, "（注）「受付」は、9:00〜17:00です。Latin words stay whole."),
                                (20, "ー。、っゃ「」"), (0, "a\n\nb  c\t\td")]):
        write("line_break", "t%d" % i, bytes([w >> 8, w & 255]) + t.encode())
    push_answer = {"protocol": "kyodo/1", "results": [{"id": "@ID@", "result": "stored", "signup_status": ""}],
                   "server_time": "2026-11-18T01:02:03Z",
                   "signup_updates": [{"id": "@ID@", "signup_status": "confirmed", "updated_at": "2026-11-18T01:02:03Z"}]}
    catalog_answer = {"protocol": "kyodo/1", "catalog": small}
    write("sync_answer", "ok", b"\x00" + dumps(push_answer).encode() + b"\x00" + dumps(catalog_answer).encode())
    write("sync_answer", "rejected", b"\x00" + dumps({"protocol": "kyodo/1", "results": [
        {"id": "@ID@", "result": "rejected", "code": "too_long", "message": "x"}]}).encode())
    write("sync_answer", "portal", b"\x0b" + b"<html>login</html>\x00<html>")
    write("sync_answer", "error", b"\x08" + b'{"protocol":"kyodo/1","error":{"code":"rate_limited","message":"wait"}}')


if __name__ == "__main__":
    main()
