#!/usr/bin/env python3
# Writes the bookable slots of assets/catalog/sample_catalog.json (kind "slot", docs/lending.md):
# rooms, equipment and the 協働相談窓口 drawn from seed 001 (「活動スペースの貸与」, 「プロジェクター、
# ポータブル音響機器など機器・物品の…貸出」, 「利用登録した団体の施設の優先予約」, 「協働相談窓口の
# 設置」), for four weeks from Monday 2027-01-11. Every other entry of the file is left as it is;
# the slots it held before are replaced, so running it twice gives the same file. Usage:
#   python3 scripts/sample_slots.py assets/catalog/sample_catalog.json
#
# Windows (core/slots.h): a slot in the week starting Monday W opens to registered groups
# (優先予約, extra.slot.priority_opens) on W - 28 days at 09:00 and to anyone (signup_opens) on
# W - 14 days; bookings close the day before the slot. So on 2027-01-05 the first two weeks are
# open and the last two are for registered groups only; by 2027-01-18 all four are open.
# Consultations have no priority window. A few slots are already taken (places booked at the
# counter), one is blocked by staff.
import datetime as dt
import json
import sys

START = dt.date(2027, 1, 11)   # a Monday
WEEKS = 4
SOURCE_ROOM = "seed 001 活動スペースの貸与・利用登録した団体の施設の優先予約"
SOURCE_EQUIPMENT = "seed 001 プロジェクター、ポータブル音響機器など機器・物品の市民活動団体への貸出"
SOURCE_CONSULT = "seed 001 協働相談窓口の設置 / seed 004 行政の協働相談窓口の設置"
NOTE = "日付・時間・場所・空き状況はサンプルです"
ROOM_TIMES = [("09:00", "12:00", "午前"), ("13:00", "17:00", "午後"), ("18:00", "21:00", "夜間")]
HALF_DAYS = [("09:00", "13:00", "午前"), ("13:00", "17:00", "午後")]
CONSULT_TIMES = [("10:00", "11:00"), ("14:00", "15:00")]
WEEKDAY_JA = "月火水木金土日"

# (centre, resource id, name, type, place, days (0 = Monday), times, summary)
RESOURCES = [
    ("ohdono", "ohdono-kaigi", "会議室", "room", "大殿地域交流センター 2階 会議室", range(1, 7), ROOM_TIMES,
     "30人まで使える会議室です。机といす、ホワイトボードがあります。"),
    ("ohdono", "ohdono-washitsu", "和室", "room", "大殿地域交流センター 1階 和室", (5, 6), ROOM_TIMES,
     "20畳の和室です。座卓と座布団があり、子ども会や老人クラブの集まりに使えます。"),
    ("ohdono", "ohdono-projector", "プロジェクター", "equipment", "大殿地域交流センター 事務室（受け渡し）",
     (4, 5, 6), HALF_DAYS, "スクリーン付きのプロジェクターを貸し出します。センターの事務室で受け渡します。"),
    ("ohdono", "ohdono-pa", "ポータブル音響機器", "equipment", "大殿地域交流センター 事務室（受け渡し）",
     (4, 5, 6), HALF_DAYS, "マイク2本付きの持ち運べる音響機器を貸し出します。屋外の行事にも使えます。"),
    ("yuda", "yuda-katsudo", "活動スペース", "room", "湯田地域交流センター 1階 活動スペース", (5, 6), ROOM_TIMES,
     "40人まで使える多目的の活動スペースです。"),
    ("yuda", "yuda-washitsu", "和室", "room", "湯田地域交流センター 2階 和室", (5, 6), ROOM_TIMES,
     "12畳の和室です。小さな集まりや作業に使えます。"),
    ("yuda", "yuda-projector", "プロジェクター", "equipment", "湯田地域交流センター 事務室（受け渡し）",
     (4, 5, 6), HALF_DAYS, "スクリーン付きのプロジェクターを貸し出します。センターの事務室で受け渡します。"),
    ("yuda", "yuda-pa", "ポータブル音響機器", "equipment", "湯田地域交流センター 事務室（受け渡し）",
     (4, 5, 6), HALF_DAYS, "マイク2本付きの持ち運べる音響機器を貸し出します。"),
]
CENTRE_NAME = {"ohdono": "大殿", "yuda": "湯田"}


def slot(id_, centre, resource, name, type_, place, day, start, end, label, summary, source, department,
         priority, title_prefix):
    week = START + dt.timedelta(days=7 * ((day - START).days // 7))
    a = {
        "id": id_,
        "kind": "slot",
        "title": "%s %s %d月%d日(%s) %s〜%s" % (title_prefix, name, day.month, day.day, WEEKDAY_JA[day.weekday()],
                                              start, end) + (" " + label if label else ""),
        "kana": "",
        "summary": summary,
        "description": "",
        "form": "shien",
        "method": "activity_support",
        "fields": [],
        "organizer_ids": [],
        "organizer_names": [],
        "department": department,
        "centre_id": centre,
        "place": place,
        "starts_at": "%sT%s" % (day.isoformat(), start),
        "ends_at": "%sT%s" % (day.isoformat(), end),
        "capacity": 1,
        "taken": 0,
        "signup_opens": (week - dt.timedelta(days=14)).isoformat(),
        "signup_closes": (day - dt.timedelta(days=1)).isoformat(),
        "audience": "利用登録した団体（優先予約）・どなたでも" if priority else "市民・市民活動団体",
        "survey_id": "",
        "extra": {
            "sample": True,
            "sample_note": NOTE,
            "source": source,
            "slot": {
                "resource": resource,
                "resource_name": name,
                "type": type_,
                "priority_opens": (week - dt.timedelta(days=28)).isoformat() + "T09:00" if priority else "",
                "blocked": False,
                "blocked_reason": "",
            },
        },
        "version": 1,
    }
    return a


def make_slots():
    out = []
    for centre, resource, name, type_, place, days, times, summary in RESOURCES:
        source = SOURCE_ROOM if type_ == "room" else SOURCE_EQUIPMENT
        for n in range(7 * WEEKS):
            day = START + dt.timedelta(days=n)
            if day.weekday() not in days:
                continue
            for start, end, label in times:
                id_ = "slot-%s-%s-%s" % (resource, day.strftime("%Y%m%d"), start.replace(":", ""))
                out.append(slot(id_, centre, resource, name, type_, place, day, start, end, label, summary, source,
                                "市民生活部地域活動推進課", True, CENTRE_NAME[centre]))
    for n in range(7 * WEEKS):
        day = START + dt.timedelta(days=n)
        if day.weekday() > 4:
            continue
        for start, end in CONSULT_TIMES:
            id_ = "slot-kyodo-soudan-%s-%s" % (day.strftime("%Y%m%d"), start.replace(":", ""))
            out.append(slot(id_, "", "kyodo-soudan", "協働相談窓口", "consultation", "市役所本庁舎 2階 協働推進課 相談室",
                            day, start, end, "", "市民活動や協働事業の相談を、協働推進課の職員が1時間お受けします。",
                            SOURCE_CONSULT, "市民生活部協働推進課", False, "市役所"))
    by_id = {a["id"]: a for a in out}
    # Booked at the counter already: every Wednesday evening of the Ōdono meeting room (a regular
    # circle), the Yuda space on Saturday mornings of the first two weeks, some consultations.
    for a in out:
        d = dt.date.fromisoformat(a["starts_at"][:10])
        r = a["extra"]["slot"]["resource"]
        if (r == "ohdono-kaigi" and d.weekday() == 2 and a["starts_at"].endswith("18:00")) or \
           (r == "yuda-katsudo" and d.weekday() == 5 and a["starts_at"].endswith("09:00") and d < START + dt.timedelta(days=14)) or \
           (r == "kyodo-soudan" and d.day % 3 == 0 and a["starts_at"].endswith("10:00")):
            a["taken"] = 1
    # The Ōdono meeting room is closed for the building inspection on Thursday 2027-01-21.
    for t in ("0900", "1300", "1800"):
        s = by_id["slot-ohdono-kaigi-20270121-" + t]["extra"]["slot"]
        s["blocked"] = True
        s["blocked_reason"] = "館内設備点検のため（サンプル）"
    # A 町内会 books the projector for Saturday (the persona): Saturday 2027-01-16 stays free.
    assert all(by_id["slot-ohdono-projector-20270116-" + t]["taken"] == 0 for t in ("0900", "1300"))
    return out


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    doc["activities"] = [a for a in doc["activities"] if a.get("kind") != "slot"] + make_slots()
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
