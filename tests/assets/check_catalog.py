#!/usr/bin/env python3
"""Checks assets/catalog/sample_catalog.json against the requirements the C++ suite
(catalog_test.cpp) asserts, without needing a build. Usage:
    python3 tests/assets/check_catalog.py [path/to/sample_catalog.json]
Exits 0 when every check passes, 1 otherwise (and lists every failure)."""
import datetime as dt
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "assets", "catalog", "sample_catalog.json")

FORMS = ["kyodo", "kyoryoku", "shien"]
METHODS = ["executive_committee", "co_host", "patronage", "cooperation", "designated_manager", "commission",
           "subsidy", "activity_support", "adopt", "participation_proposal", "information_sharing"]
KINDS = ["project", "event", "volunteer", "grant", "public_comment", "call_for_proposals"]
QTYPES = ["single", "multiple", "scale", "free_text"]
FIELDS = ["福祉", "子育て", "高齢者", "障がい者", "環境", "防災", "防犯・交通安全", "教育・生涯学習", "文化・芸術",
          "スポーツ", "国際交流", "健康", "まちづくり"]
# Every project name of seed 000, with the form and method seed 000 files it under.
SEED000 = [
    ("北彩都あさひかわ冬のガーデン", "kyodo", "executive_committee"),
    ("バスの日イベント", "kyodo", "executive_committee"),
    ("あったかいね、あさひかわ", "kyodo", "executive_committee"),
    ("旭川市生物多様性保全推進協議会における防除・広報活動", "kyodo", "executive_committee"),
    ("ジオパーク構想推進事業", "kyodo", "executive_committee"),
    ("神楽市民交流センターまつり", "kyodo", "executive_committee"),
    ("小学生向け英語プログラム", "kyodo", "co_host"),
    ("介護予防教室", "kyodo", "co_host"),
    ("子どもの居場所づくり・地域との交流", "kyodo", "co_host"),
    ("高齢者文化祭", "kyodo", "co_host"),
    ("雪あかりの動物園", "kyodo", "co_host"),
    ("私たちの身の回りの環境地図作品展", "kyodo", "co_host"),
    ("火災予防運動", "kyodo", "co_host"),
    ("交通安全呼びかけ運動への支援", "kyoryoku", "cooperation"),
    ("手話施策に係る意見交換会", "kyoryoku", "cooperation"),
    ("児童虐待防止啓発活動", "kyoryoku", "cooperation"),
    ("うぶごえへの贈りもの事業", "kyoryoku", "cooperation"),
    ("食品ロス削減事業", "kyoryoku", "cooperation"),
    ("地域除雪活動", "kyoryoku", "cooperation"),
    ("市民協力花壇づくり", "kyoryoku", "cooperation"),
    ("「こども110番の家」の「旗」", "kyoryoku", "cooperation"),
    ("住民・地区センター、公民館", "kyoryoku", "designated_manager"),
    ("市民活動交流センター・障害福祉センター", "kyoryoku", "designated_manager"),
    ("認知症予防事業", "kyoryoku", "commission"),
    ("ファミリーサポートセンター等運営事業", "kyoryoku", "commission"),
    ("障害者福祉バス管理運営事業", "kyoryoku", "commission"),
    ("放課後の児童の居場所づくり事業", "kyoryoku", "commission"),
    ("私の未来プロジェクト事業", "kyoryoku", "commission"),
    ("高齢者防火訪問事業（ほのぼの防火訪問）", "kyoryoku", "commission"),
    ("地域安全活動推進事業", "shien", "subsidy"),
    ("地域まちづくり推進事業", "shien", "subsidy"),
    ("スポーツ大会運営費補助金", "shien", "subsidy"),
    ("高齢者いこいの家運営費補助金", "shien", "subsidy"),
    ("再生資源回収奨励金交付制度", "shien", "subsidy"),
    ("旭川市民ギャラリー運営負担金", "shien", "subsidy"),
    ("すこやかライフ応援塾", "shien", "activity_support"),
    ("廃食用油資源化促進事業", "shien", "activity_support"),
    ("地域学校協働活動推進事業", "shien", "activity_support"),
    ("こども食堂", "shien", "activity_support"),
    ("地域づくり勉強会", "shien", "activity_support"),
    ("愛あい（子どもの居場所づくり事業）", "shien", "activity_support"),
]
SEED003 = ["熱中症対策アンバサダー養成講座", "クーリングシェルター", "高齢者向けスマホ教室", "空家合同無料相談会",
           "災害対応型自動販売機", "災害医療セミナー", "認知症サポーター養成講座", "植栽美化活動"]
ORG_TYPES = ["NPO法人", "ボランティア団体", "町内会・自治会", "地区市民委員会", "企業 (連携協定)", "教育機関",
             "実行委員会", "社会福祉協議会"]
INDICATORS = {  # code: (baseline, mid_target, target) from seed 004 第2章 3 数値目標
    "local_activity_participation": (37.5, 45.0, 50.0),
    "citizen_activity_participation": (10.8, 13.0, 15.0),
    "town_making_participation": (18.8, 23.0, 30.0),
    "feel_heard": (26.0, 30.0, 35.0),
}
DT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")
D = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HIRAGANA = re.compile(r"^[\u3041-\u3096\u30fc ]+$")
KANJI = r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3005\u3006\u30f6\u3007]"

failures = []


def parse_ruby(ann):
    """core/ruby.cpp parse_ruby: [(text, reading)], reading "" for plain text."""
    segs, plain, i = [], "", 0
    while i < len(ann):
        c = ann[i]
        if c in "｜|":
            o = ann.find("《", i + 1)
            cl = ann.find("》", o + 1) if o >= 0 else -1
            if o > i + 1 and cl > o + 1 and "｜" not in ann[i + 1:o] and "|" not in ann[i + 1:o]:
                segs += [(plain, ""), (ann[i + 1:o], ann[o + 1:cl])]
                plain, i = "", cl + 1
                continue
        elif c == "《":
            cl = ann.find("》", i + 1)
            b = len(plain)
            while b > 0 and re.match(KANJI, plain[b - 1]):
                b -= 1
            if cl > i + 1 and b < len(plain):
                segs += [(plain[:b], ""), (plain[b:], ann[i + 1:cl])]
                plain, i = "", cl + 1
                continue
        plain += c
        i += 1
    segs.append((plain, ""))
    return [(t, r) for t, r in segs if t]


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)


with open(PATH, "rb") as f:
    raw = f.read()
raw.decode("utf-8")  # raises on invalid UTF-8
doc = json.loads(raw)

check(doc.get("version") == 1 and doc.get("full") is True, "version 1 / full true")
check("サンプル" in doc.get("notice", "") and "sample" in doc.get("notice", ""), "top-level notice marks sample data")
for k in ["centres", "organizations", "activities", "surveys"]:
    check(isinstance(doc.get(k), list), k + " is a list")
check(doc.get("deleted") == {"centres": [], "organizations": [], "activities": [], "surveys": []}, "deleted is empty")
for s in strings(doc):
    check(all(ord(c) <= 0xFFFF for c in s), "beyond BMP: " + s[:30])
    check(not any(ord(c) < 0x20 or ord(c) == 0x7F for c in s), "control char: " + s[:30])

centres = {c["id"]: c for c in doc["centres"]}
check(len(centres) == len(doc["centres"]), "centre ids unique")
check(len(centres) >= 5, "at least 5 centres")
check(sum(c["name"].endswith("地域交流センター") for c in doc["centres"]) >= 5, "5+ 地域交流センター")
check(any(c["name"] == "市民活動支援センター" for c in doc["centres"]), "市民活動支援センター present")
for c in doc["centres"]:
    for k in ["id", "name", "kana", "address", "phone"]:
        check(bool(c.get(k)), "centre %s has %s" % (c.get("id"), k))
    check(bool(HIRAGANA.match(c["kana"])), "centre kana hiragana: " + c["id"])
    check("サンプル" in c["address"], "centre address marked sample: " + c["id"])
    check(c.get("version") == 1, "centre version 1")

orgs = {o["id"]: o for o in doc["organizations"]}
check(len(orgs) == len(doc["organizations"]), "organization ids unique")
check(len(orgs) >= 20, "at least 20 organizations")
types = {o["type"] for o in doc["organizations"]}
for t in ORG_TYPES:
    check(t in types, "organization type present: " + t)
for o in doc["organizations"]:
    for k in ["id", "name", "kana", "type", "description", "contact"]:
        check(bool(o.get(k)), "org %s has %s" % (o.get("id"), k))
    check(len(o.get("fields", [])) > 0 and all(f in FIELDS for f in o["fields"]), "org fields standard: " + o["id"])
    check(bool(HIRAGANA.match(o["kana"])), "org kana hiragana: " + o["id"])
    check("サンプル" in o["description"] + o["contact"], "org marked sample: " + o["id"])
    check(o.get("version") == 1, "org version 1")
    if o["type"] == "企業 (連携協定)":
        check("サンプル" in o["name"], "company name is invented (サンプル…): " + o["name"])

everything = doc["activities"]
all_ids = [a["id"] for a in everything]
check(len(set(all_ids)) == len(all_ids), "activity ids unique (listings, slots and items)")
# Slots (docs/lending.md) and things given away are catalog activities but not listings: the
# listing rules below apply to the listings only; slots have their own at the end.
acts = [a for a in everything if a.get("kind") in KINDS]
slots = [a for a in everything if a.get("kind") == "slot"]
check(all(a.get("kind") in KINDS + ["slot", "item"] for a in everything), "every activity kind is known")
for a in everything:
    if a.get("kind") not in KINDS:
        check(a.get("extra", {}).get("sample") is True and bool(a.get("extra", {}).get("source")),
              a.get("id", "?") + " marked sample with a source")
ids = [a["id"] for a in acts]
check(len(acts) >= 60, "at least 60 activities")
check(all(re.match(r"^act-\d{3}$", i) for i in ids), "activity ids act-NNN")
for f in FORMS:
    check(any(a["form"] == f for a in acts), "form present: " + f)
for m in METHODS:
    check(any(a["method"] == m for a in acts), "method present: " + m)
for k in KINDS:
    check(any(a["kind"] == k for a in acts), "kind present: " + k)
kinds = [a["kind"] for a in acts]
check(kinds.count("public_comment") == 1, "exactly one public_comment")
check(kinds.count("call_for_proposals") == 1, "exactly one call_for_proposals")
check(3 <= kinds.count("grant") <= 8, "a few grants")
check(sum(1 for a in acts if a["kind"] == "volunteer" and a["capacity"] > 0) >= 5, "5+ volunteer openings with capacity")
check(sum(1 for a in acts if a["kind"] in ("project", "event", "volunteer")) >= 0.8 * len(acts), "mostly project/event/volunteer")
check(any(a["capacity"] > 0 and a["taken"] == a["capacity"] for a in acts), "some full")
check(sum(1 for a in acts if a["capacity"] > 0 and 0 < a["capacity"] - a["taken"] <= 3) >= 3, "some almost full")
check(sum(1 for a in acts if "2026-11-24" <= a["starts_at"][:10] <= "2026-11-30") >= 4, "some today-ish")

for a in acts:
    i = a["id"]
    for k in ["id", "kind", "title", "kana", "summary", "description", "form", "method", "fields", "organizer_ids",
              "organizer_names", "department", "centre_id", "place", "starts_at", "ends_at", "capacity", "taken",
              "signup_opens", "signup_closes", "audience", "survey_id", "extra", "version"]:
        check(k in a, "%s has %s" % (i, k))
    check(a["form"] in FORMS and a["method"] in METHODS and a["kind"] in KINDS, i + " enum codes")
    check(0 < len(a["title"]) <= 60, i + " title <= 60")
    check(0 < len(a["summary"]) <= 120, i + " summary <= 120")
    check(len(a["description"]) > len(a["summary"]), i + " description is a paragraph")
    check(bool(HIRAGANA.match(a["kana"])), i + " kana hiragana: " + a["kana"])
    # furigana (docs/catalog.md): every kanji run of title, summary and description read,
    # and the annotations removed give the text back exactly.
    fu = a.get("extra", {}).get("furigana", {})
    for k in ["title", "summary", "description"]:
        if not re.search(KANJI, a[k]):
            continue
        segs = parse_ruby(fu.get(k, ""))
        check("".join(t for t, _ in segs) == a[k], "%s furigana.%s spells the %s" % (i, k, k))
        check(not any(r == "" and re.search(KANJI, t) for t, r in segs), "%s furigana.%s reads every kanji" % (i, k))
        check(all(r == "" or HIRAGANA.match(r) for _, r in segs), "%s furigana.%s readings in hiragana" % (i, k))
    check(len(a["fields"]) > 0 and all(f in FIELDS for f in a["fields"]), i + " fields standard")
    check(len(a["organizer_ids"]) > 0 and all(o in orgs for o in a["organizer_ids"]), i + " organizer_ids exist")
    check(a["organizer_names"] == [orgs[o]["name"] for o in a["organizer_ids"] if o in orgs], i + " organizer_names match")
    check(a["centre_id"] == "" or a["centre_id"] in centres, i + " centre_id exists")
    check(a["department"].endswith("課"), i + " department is a 課")
    check(bool(DT.match(a["starts_at"])) and bool(DT.match(a["ends_at"])), i + " ISO dates")
    check(a["starts_at"] <= a["ends_at"], i + " starts <= ends")
    lo = "2026-11-01" if a["kind"] == "public_comment" else "2026-11-20"
    check(lo <= a["starts_at"][:10] and a["ends_at"][:10] <= "2027-03-31", i + " dates in window")
    check(a["capacity"] >= 0 and 0 <= a["taken"] <= max(a["capacity"], 0), i + " capacity/taken")
    if a["capacity"] > 0:
        check(bool(D.match(a["signup_opens"])) and bool(D.match(a["signup_closes"])), i + " signup window")
        check(a["signup_opens"] <= a["signup_closes"] <= a["ends_at"][:10], i + " signup window order")
    else:
        check(a["taken"] == 0, i + " no sign-ups without capacity")
    check(a["extra"].get("sample") is True, i + " extra.sample")
    check(a["version"] == 1, i + " version 1")
    check(a["survey_id"] == "" or a["survey_id"] in {s["id"] for s in doc["surveys"]}, i + " survey_id exists")

for name, form, method in SEED000:
    hits = [a for a in acts if name in a["title"]]
    check(len(hits) > 0, "seed 000 name present: " + name)
    check(any(a["form"] == form and a["method"] == method for a in hits), "seed 000 form/method: " + name)
for name in SEED003:
    hits = [a for a in acts if name in a["title"]]
    check(len(hits) > 0, "seed 003 initiative present: " + name)
    check(any(orgs[o]["type"] == "企業 (連携協定)" for a in hits for o in a["organizer_ids"]),
          "seed 003 organised by a partner company: " + name)
check(any(a["method"] == "commission" and "協働委託" in a["title"] for a in acts), "seed 004 協働委託")
check(any(a["method"] == "patronage" and "後援" in a["summary"] for a in acts), "seed 004 後援")
check(sum(a["method"] == "adopt" for a in acts) >= 2, "seed 004 アドプト")
check(any(a["method"] == "information_sharing" and "ラウンドテーブル" in a["title"] for a in acts), "seed 004 情報交換")

pc = [a for a in acts if a["kind"] == "public_comment"]
if check(len(pc) == 1, "public comment"):
    e = pc[0]["extra"]
    secs = e.get("sections", [])
    check(len(secs) >= 4, "public comment has >= 4 sections")
    check(all(s.get("id") and s.get("title") and s.get("text") for s in secs), "sections have id/title/text")
    check(len({s["id"] for s in secs}) == len(secs), "section ids unique")
    check(e.get("comment_from") == "2026-11-01" and e.get("comment_until") == "2026-12-20", "comment window")
cfp = [a for a in acts if a["kind"] == "call_for_proposals"]
if check(len(cfp) == 1, "call for proposals"):
    e = cfp[0]["extra"]
    check("市民提案型協働事業" in cfp[0]["title"], "call title")
    check(len(e.get("themes", [])) >= 3 and bool(D.match(e.get("deadline", ""))), "call themes + deadline")

surveys = {s["id"]: s for s in doc["surveys"]}
check(len(surveys) == len(doc["surveys"]) >= 2, "2+ surveys, unique ids")
main = [s for s in doc["surveys"] if s["title"] == "地域活動と協働に関するアンケート"]
if check(len(main) == 1, "kyodo survey present"):
    qs = main[0]["questions"]
    check({q["type"] for q in qs} == set(QTYPES), "all four question types")
    check(sorted(q["indicator"] for q in qs if q["indicator"]) == sorted(INDICATORS), "four indicator questions")
check(any("施設満足度" in s["title"] for s in doc["surveys"]), "facility survey present")
for s in doc["surveys"]:
    check(s.get("version") == 1 and s.get("description"), s["id"] + " version/description")
    qids = [q["id"] for q in s["questions"]]
    check(len(set(qids)) == len(qids), s["id"] + " question ids unique")
    for q in s["questions"]:
        check(q["type"] in QTYPES, s["id"] + " qtype")
        if q["type"] in ("single", "multiple"):
            check(len(q["choices"]) >= 2, s["id"] + "/" + q["id"] + " choices")
        if q["type"] == "scale":
            check(q["scale_min"] == 1 and q["scale_max"] == 5 and q["scale_min_label"] and q["scale_max_label"],
                  s["id"] + "/" + q["id"] + " scale 1-5 with labels")

all_targets = doc.get("indicator_targets", [])
# ⑤ (協働ということを説明できる職員の割合) is measured by the staff survey on the dashboard, not by
# a kiosk question.
staff = [t for t in all_targets if t.get("measured_by") == "staff_survey"]
check([(t["code"], t["baseline"], t["mid_target"], t["target"]) for t in staff] == [("staff_can_explain", 26.0, 100.0, 100.0)],
      "indicator ⑤ from seed 004, measured by the staff survey")
it = [t for t in all_targets if t.get("measured_by") != "staff_survey"]
check(sorted(t["code"] for t in it) == sorted(INDICATORS), "indicator_targets codes")
for t in it:
    check((t["baseline"], t["mid_target"], t["target"]) == INDICATORS[t["code"]], "targets match seed 004: " + t["code"])
    check((t["baseline_year"], t["mid_target_year"], t["target_year"]) == (2006, 2012, 2017), "target years")
    s = surveys.get(t["survey_id"])
    check(s is not None and any(q["id"] == t["question_id"] and q["indicator"] == t["code"] for q in s["questions"]),
          "indicator target points at its question: " + t["code"])

# Slots: rooms, equipment and the 協働相談窓口 for four weeks from Monday 2027-01-11
# (scripts/sample_slots.py writes them; core/slots.h reads extra.slot).
SLOT_TYPES = ["room", "equipment", "consultation"]
DTT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
check(100 <= len(slots) <= 400, "a modest number of slots (%d)" % len(slots))
resources = {}
for a in slots:
    i = a["id"]
    s = a.get("extra", {}).get("slot", {})
    check(i.startswith("slot-"), i + " id slot-…")
    check(a["capacity"] == 1 and a["taken"] in (0, 1), i + " capacity 1, taken 0 or 1")
    check(0 < len(a["title"]) <= 60 and bool(a["summary"]) and bool(a["place"]), i + " title, summary, place")
    check(a["department"].endswith("課"), i + " department is a 課")
    check(a["centre_id"] == "" or a["centre_id"] in centres, i + " centre_id exists")
    check(bool(DTT.match(a["starts_at"])) and bool(DTT.match(a["ends_at"])), i + " date-times")
    check(a["starts_at"][:10] == a["ends_at"][:10] and a["starts_at"] < a["ends_at"], i + " one day, starts < ends")
    check("2027-01-11" <= a["starts_at"][:10] <= "2027-02-07", i + " in the four weeks from 2027-01-11")
    check(bool(D.match(a["signup_opens"])) and bool(D.match(a["signup_closes"])), i + " signup dates")
    check(a["signup_opens"] <= a["signup_closes"] < a["starts_at"][:10], i + " signup window before the slot")
    check(a["extra"].get("sample") is True and a["extra"].get("sample_note") and a["extra"].get("source"),
          i + " marked sample with a source")
    check(bool(s.get("resource")) and bool(s.get("resource_name")) and s.get("type") in SLOT_TYPES, i + " extra.slot")
    check(s.get("priority_opens") == "" or (bool(DTT.match(s.get("priority_opens", "")))
                                           and s["priority_opens"][:10] < a["signup_opens"]), i + " priority_opens")
    check(isinstance(s.get("blocked"), bool) and bool(s.get("blocked_reason")) == s.get("blocked"), i + " blocked")
    check(a["version"] == 1, i + " version 1")
    r = (s.get("resource"), s.get("resource_name"), s.get("type"), a["centre_id"], a["place"])
    check(resources.setdefault(s.get("resource"), r) == r, i + " one name, type, centre and place per resource")
by_centre = {}
for rid, name, typ, centre, place in resources.values():
    by_centre.setdefault(centre, []).append(name)
centres_with_all = [c for c, names in by_centre.items()
                    if any(n in names for n in ("会議室", "活動スペース")) and "和室" in names
                    and "プロジェクター" in names and "ポータブル音響機器" in names]
check(len(centres_with_all) >= 2, "2+ centres with a meeting room, a 和室, a projector and a portable PA")
consult = [a for a in slots if a["extra"]["slot"]["type"] == "consultation"]
check(len(consult) >= 10 and all(a["ends_at"][11:13] == "%02d" % (int(a["starts_at"][11:13]) + 1) for a in consult),
      "1-hour consultation slots")
check(all(dt.date.fromisoformat(a["starts_at"][:10]).weekday() < 5 for a in consult), "consultations on weekdays")
check(any(a["extra"]["slot"]["resource_name"] == "プロジェクター" and a["taken"] == 0 and
          dt.date.fromisoformat(a["starts_at"][:10]).weekday() == 5 for a in slots), "a free Saturday projector slot")
check(any(a["extra"]["slot"]["blocked"] for a in slots), "a blocked slot")
check(any(a["taken"] == 1 for a in slots), "some slots already taken")

if failures:
    print("FAIL (%d):" % len(failures))
    for m in failures:
        print("  -", m)
    sys.exit(1)
print("OK: %d activities, %d slots, %d organizations, %d centres, %d surveys, %d indicator targets"
      % (len(acts), len(slots), len(orgs), len(centres), len(surveys), len(all_targets)))
