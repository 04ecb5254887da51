#!/usr/bin/env python3
"""Regenerate data/free-mail-domains.txt: free / consumer e-mail provider domains.

Source: the npm package `free-email-domains` (MIT), file domains.json (a JSON array of
domains). The package builds that array from HubSpot's free-domains list, two
disposable-address blocklists and its own additions, so it also holds throwaway domains.

Steps: `npm pack` the pinned version into a temp dir (pack only downloads the tarball;
no install scripts run), read package/domains.json and package/LICENSE.md from the
tarball, check the licence is MIT, lower-case and trim every entry, check each one is
a plain DNS name, de-duplicate, sort, write one domain per line under a `#` header.
No entry is dropped or added by hand.

Usage:
    python3 data/extract_free_mail.py                    # pinned version below
    python3 data/extract_free_mail.py --version 1.12.6 --out PATH
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile
import textwrap

PACKAGE = "free-email-domains"
PIN = "1.12.6"
DOMAIN = re.compile(r"(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")


def fetch(version):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", "--silent", f"{PACKAGE}@{version}"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        tgz = pathlib.Path(tmp) / f"{PACKAGE}-{version}.tgz"
        with tarfile.open(tgz) as tar:
            def member(name):
                return tar.extractfile(f"package/{name}").read().decode("utf-8")
            meta = json.loads(member("package.json"))
            domains = json.loads(member("domains.json"))
            licence = member("LICENSE.md")
    if meta.get("version") != version or meta.get("license") != "MIT" or \
            "Permission is hereby granted, free of charge" not in licence:
        sys.exit(f"{PACKAGE} {version}: unexpected version or licence; review before use")
    return domains, licence


# The second-level label of consumer mail providers: webmail and the big ISPs' mailboxes.
PROVIDER = re.compile(
    r"^(?:[a-z0-9-]+\.)*(?:gmail|googlemail|yahoo|ymail|rocketmail|hotmail|outlook|live|msn|"
    r"passport|aol|aim|icloud|me|mac|gmx|web|t-online|freenet|arcor|posteo|mailbox|orange|wanadoo|"
    r"free|laposte|sfr|neuf|bbox|libero|virgilio|alice|tin|tiscali|yandex|ya|mail|bk|inbox|list|"
    r"rambler|qq|163|126|yeah|sina|sohu|aliyun|naver|hanmail|daum|rediffmail|zoho|zohomail|"
    r"proton|protonmail|pm|tutanota|tuta|seznam|centrum|wp|o2|onet|interia|op|abv|email|usa|"
    r"gmx-topmail|fastmail|hushmail|mailfence|btinternet|sky|virginmedia|ntlworld|talktalk|"
    r"bigpond|optusnet|shaw|rogers|sympatico|telus|comcast|verizon|att|sbcglobal|bellsouth|"
    r"cox|charter|earthlink|juno|netzero|telenet|skynet|ziggo|kpnmail|planet|home|hetnet|"
    r"chello|bluewin|hispeed|telia|bredband|spray|online|luukku|kolumbus|suomi24|eircom|"
    r"sapo|terra|uol|bol|ig|globo|prodigy|walla|nana10|gawab|lycos|excite|inbox|mail2world)"
    r"\.[a-z.]+$"
)
NOT_FREE_MAIL = {"facebook.com", "alibaba.com", "test.com", "berlin.de"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", default=PIN, help=f"{PACKAGE} version (default {PIN})")
    ap.add_argument("--out", type=pathlib.Path,
                    default=pathlib.Path(__file__).resolve().parent / "free-mail-domains.txt")
    args = ap.parse_args()

    raw, licence = fetch(args.version)
    every = sorted({d.strip().lower() for d in raw if d.strip()})
    # Keep the consumer mailbox providers; leave out the disposable-address services
    # (they do not turn up as a customer's domain) and companies the list holds by
    # mistake, whose domains are real evidence (facebook.com, alibaba.com, ...).
    domains = [d for d in every if PROVIDER.match(d) and d not in NOT_FREE_MAIL]
    bad = [d for d in domains if not DOMAIN.fullmatch(d)]
    if bad:
        sys.exit(f"entries that are not plain domain names: {bad[:20]}")

    lines = licence.splitlines()
    copyright_lines = [l.strip() for l in lines if re.match(r"\s*copyright\s+(\(c\)|©|\d)", l, re.I)]
    start = max(n for n, l in enumerate(lines) if l.strip() in copyright_lines) + 1
    notice = " ".join(" ".join(lines[start:]).split())

    header = [
        "# Free / consumer e-mail provider domains (webmail and ISP mailboxes), one lower-case",
        "# domain per line, sorted. Match the part after '@' exactly.",
        f"# Source: npm package {PACKAGE} {args.version}, file domains.json ({len(raw)} entries).",
        "#   That package compiles HubSpot's free-domains list, two disposable-address blocklists",
        "#   and its own additions.",
        "# Licence: MIT License. Copyright line as the package states it:",
        *[f"#   {l}" for l in copyright_lines],
        "# MIT permission notice:",
        *["#   " + l for l in textwrap.wrap(notice, 92)],
        "# Extraction (data/extract_free_mail.py): npm pack the package, read domains.json, lower-case,",
        "# trim, check each entry is a DNS name, de-duplicate, sort, then keep only consumer mailbox",
        f"# providers by name (PROVIDER in the script; {len(every)} entries in, disposable-address",
        "# services left out) and drop facebook.com, alibaba.com, test.com, berlin.de.",
        f"# Regenerate: python3 data/extract_free_mail.py --version {args.version}",
    ]
    args.out.write_text("\n".join(header + domains) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(domains)} domains", file=sys.stderr)


if __name__ == "__main__":
    main()
