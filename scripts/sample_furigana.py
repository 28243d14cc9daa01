# Makes the furigana of assets/catalog/sample_catalog.json (extra.furigana) the way the
# server does at publish time (server/furigana.cpp: MeCab IPADIC readings per word, kanji runs
# aligned against okurigana), through the mecab command, plus the corrections staff would type
# in the dashboard for words IPADIC does not know (WORDS). Usage:
#   python3 scripts/sample_furigana.py assets/catalog/sample_catalog.json > /tmp/c.json
import json, re, subprocess, sys
KANJI = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3005\u3006\u30f6\u3007]")
def hira(s): return "".join(chr(ord(c) - 0x60) if 0x30A1 <= ord(c) <= 0x30F6 else c for c in s)
def align(runs, i, reading, pos, out):
    if i == len(runs): return pos == len(reading)
    text, k = runs[i]
    if not k:
        lit = hira(text)
        if reading[pos:pos + len(lit)] != lit: return False
        out.append((text, ""))
        if align(runs, i + 1, reading, pos + len(lit), out): return True
        out.pop(); return False
    for n in range(1, len(reading) - pos + 1):
        out.append((text, reading[pos:pos + n]))
        if align(runs, i + 1, reading, pos + n, out): return True
        out.pop()
    return False
def word(surface, kata, out):
    if not KANJI.search(surface) or not kata:
        out.append((surface, "")); return
    runs = []
    for c in surface:
        k = bool(KANJI.match(c))
        if runs and runs[-1][1] == k: runs[-1] = (runs[-1][0] + c, k)
        else: runs.append((c, k))
    segs = []
    if align(runs, 0, hira(kata), 0, segs): out.extend(segs)
    else: out.append((surface, hira(kata)))
def mecab(line):
    p = subprocess.run(["mecab", "-d", "/var/lib/mecab/dic/ipadic-utf8"], input=line + "\n", capture_output=True, text=True, check=True)
    toks = []
    for l in p.stdout.split("\n"):
        if l == "EOS" or not l: continue
        surf, feat = l.split("\t", 1)
        f = feat.split(",")
        toks.append((surf, f[7] if len(f) > 7 and f[7] != "*" else ""))
    return toks
# Words IPADIC does not know or misreads: merged into one word with this reading (what staff
# would type in the dashboard's ふりがな field).
WORDS = {"協働委託し": "キョウドウイタクシ", "協働委託": "キョウドウイタク", "植栽美化": "ショクサイビカ", "協働": "キョウドウ", "植栽帯": "ショクサイタイ", "植栽": "ショクサイ", "試着": "シチャク", "大殿": "オオドノ"}
def merge(toks):
    out, i = [], 0
    while i < len(toks):
        for w, r in WORDS.items():
            acc, j = "", i
            while j < len(toks) and len(acc) < len(w):
                acc += toks[j][0]; j += 1
            if acc == w:
                out.append((w, r)); i = j; break
        else:
            out.append(toks[i]); i += 1
    return out
def make(text):
    if not text or not KANJI.search(text): return ""
    segs = []
    lines = text.split("\n")
    for li, line in enumerate(lines):
        done = 0
        for surf, kata in merge(mecab(line)):
            at = line.find(surf, done)
            if at < 0: continue
            if at > done: segs.append((line[done:at], ""))
            word(surf, kata, segs)
            done = at + len(surf)
        if done < len(line): segs.append((line[done:], ""))
        if li + 1 < len(lines): segs.append(("\n", ""))
    tidy = []
    for t, r in segs:
        if not t: continue
        if not r and tidy and not tidy[-1][1]: tidy[-1] = (tidy[-1][0] + t, "")
        else: tidy.append((t, r))
    if "".join(t for t, _ in tidy) != text: return ""
    if not any(r for _, r in tidy): return ""
    return fmt(tidy)
def fmt(segs):
    out, prev_kanji = "", False
    for t, r in segs:
        if not r: out += t
        else:
            all_k = all(KANJI.match(c) for c in t)
            if not all_k or prev_kanji: out += "｜"
            out += t + "《" + r + "》"
        prev_kanji = bool(t) and bool(KANJI.match(t[-1])) and not r
    return out
# Local readings IPADIC does not know (staff would correct these in the dashboard).
FIX = {"大殿《おとど》": "大殿《おおどの》"}
path = sys.argv[1]
src = open(path, encoding="utf-8").read()
doc = json.loads(src)
for a in doc["activities"]:
    fu = {}
    for k in ["title", "summary", "description"]:
        v = make(a[k])
        for bad, good in FIX.items(): v = v.replace(bad, good)
        if v: fu[k] = v
    if fu: a.setdefault("extra", {})["furigana"] = fu
print(json.dumps(doc, ensure_ascii=False, indent=2))
