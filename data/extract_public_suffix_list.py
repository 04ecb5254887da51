#!/usr/bin/env python3
"""Regenerate data/public-suffix-list.dat and .tree from the PyPI package `publicsuffixlist`.

The package ships Mozilla's Public Suffix List (MPL-2.0) as
publicsuffixlist/public_suffix_list.dat. This script downloads the wheel into a
temporary directory with `pip download --no-deps`, keeps only the ICANN section
(between `// ===BEGIN ICANN DOMAINS===` and `// ===END ICANN DOMAINS===`),
drops comment and blank lines, and writes the rules (verbatim, including `*.`
wildcard, `!` exception and Unicode IDN rules) under a short `//` header.

It then writes the same rules as a tree, public-suffix-list.tree, which is what
the wasm module compiles in (src/conflict/domains.rs expands it back to the
list's text when it first needs it): 21 KB gzipped instead of 27 KB. One line
per top-level label; a label's children follow it in parentheses, comma
separated; a label that is not a rule itself (only its children are) ends
in `?`. So `ac(com,edu)` is the rules `ac`, `com.ac` and `edu.ac`, and
`ck?(*,!www)` is `*.ck` and `!www.ck`. The .dat stays the reference: a test
checks that the tree expands to exactly its rules.

Usage:
    python3 data/extract_public_suffix_list.py            # newest version
    python3 data/extract_public_suffix_list.py 1.1.2.20261023   # pinned version
    python3 data/extract_public_suffix_list.py --tree-only    # .tree from the .dat here
Optional: --out PATH (default: public-suffix-list.dat next to this script; the
.tree is written next to it).
"""

import argparse
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "publicsuffixlist"
MEMBER = "publicsuffixlist/public_suffix_list.dat"
BEGIN = "// ===BEGIN ICANN DOMAINS==="
END = "// ===END ICANN DOMAINS==="


def fetch(version):
    """Download the wheel; return (package version, list text)."""
    spec = f"{PACKAGE}=={version}" if version else PACKAGE
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
             "-q", "-d", tmp, spec],
            check=True,
        )
        wheels = list(pathlib.Path(tmp).glob(f"{PACKAGE}-*.whl"))
        if len(wheels) != 1:
            sys.exit(f"expected one wheel, found {wheels}")
        wheel = wheels[0]
        pkg_version = wheel.name.split("-")[1]
        with zipfile.ZipFile(wheel) as zf:
            text = zf.read(MEMBER).decode("utf-8")
    return pkg_version, text


def extract(text):
    """Return (header fields, ICANN rules) from the full list text."""
    lines = text.splitlines()
    try:
        start = lines.index(BEGIN)
        stop = lines.index(END, start)
    except ValueError:
        sys.exit("ICANN section markers not found")
    meta = {}
    for line in lines[:start]:
        m = re.match(r"//\s*(VERSION|COMMIT):\s*(\S+)", line)
        if m:
            meta[m.group(1)] = m.group(2)
    licence_url = next(
        (re.search(r"https?://\S+?(?=[.,]?$)", l).group(0)
         for l in lines[:start] if "mozilla.org/MPL" in l),
        "https://mozilla.org/MPL/2.0/",
    )
    meta["LICENCE_URL"] = licence_url
    rules = []
    for line in lines[start + 1:stop]:
        s = line.strip()
        if not s or s.startswith("//"):
            continue
        # A rule is the first whitespace-delimited token on its line.
        rules.append(s.split()[0])
    return meta, rules


def tree(rules):
    """The rules as the tree text described above (children in the list's order)."""
    def node():
        return {"rule": False, "children": {}}
    root = node()
    for rule in rules:
        if any(c in rule for c in ",()?") or not rule:
            sys.exit(f"rule {rule!r} has a character the tree form uses")
        here = root
        for label in reversed(rule.split(".")):
            here = here["children"].setdefault(label, node())
        here["rule"] = True

    def write(label, here):
        text = label + ("" if here["rule"] else "?")
        if here["children"]:
            text += "(" + ",".join(write(l, c) for l, c in here["children"].items()) + ")"
        return text

    return [write(label, here) for label, here in root["children"].items()]


def expand(lines):
    """The rules a tree text holds: the inverse of tree(), to check it."""
    rules, stack = [], []
    for line in lines:
        for piece in re.findall(r"[^,()]*[,()]?", line):
            label, delimiter = piece.rstrip(",()"), piece[len(piece.rstrip(",()")):]
            if label:
                last = label.rstrip("?")
                if not label.endswith("?"):
                    rules.append(".".join([last] + stack[::-1]))
            if delimiter == "(":
                stack.append(last)
            elif delimiter == ")":
                stack.pop()
    return rules


def write_tree(dat_path):
    """Writes the .tree next to the .dat, from the .dat's header and rules."""
    lines = dat_path.read_text(encoding="utf-8").splitlines()
    start, stop = lines.index(BEGIN), lines.index(END)
    # The .dat's header without its lines on trimming (the tree has no marker lines).
    keep = ("// Public Suffix List", "// Source:", "// List ", "// Licence:", "// Regenerate:")
    header = [line for line in lines[:start] if line.startswith(keep)]
    rules = lines[start + 1:stop]
    body = tree(rules)
    if sorted(expand(body)) != sorted(rules):
        sys.exit("the tree does not expand to the list's rules")
    out_path = dat_path.with_suffix(".tree")
    out = "\n".join(header + [
        f"// The rules of {dat_path.name} (ICANN section), as a tree: children in parentheses",
        "// after their parent label, `?` after a label that is not a rule itself (see",
        "// data/extract_public_suffix_list.py). src/conflict/domains.rs expands it to the list.",
    ] + body) + "\n"
    out_path.write_text(out, encoding="utf-8")
    print(f"{out_path}: {len(rules)} rules, {len(out.encode('utf-8'))} bytes")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("version", nargs="?", help="publicsuffixlist version (default: newest)")
    ap.add_argument("--out", type=pathlib.Path,
                    default=pathlib.Path(__file__).resolve().parent / "public-suffix-list.dat")
    ap.add_argument("--tree-only", action="store_true",
                    help="only write the .tree from the .dat already there (no download)")
    args = ap.parse_args()
    if args.tree_only:
        write_tree(args.out)
        return

    pkg_version, text = fetch(args.version)
    meta, rules = extract(text)
    header = [
        "// Public Suffix List (https://publicsuffix.org/), ICANN section only.",
        f"// Source: PyPI package {PACKAGE} {pkg_version}, file {MEMBER}",
    ]
    if "VERSION" in meta:
        header.append(f"// List VERSION: {meta['VERSION']}")
    if "COMMIT" in meta:
        header.append(f"// List COMMIT: {meta['COMMIT']}")
    header += [
        "// Licence: Mozilla Public License 2.0 (MPL-2.0); "
        f"a copy is at {meta['LICENCE_URL']}",
        "// Trimmed to the ICANN section, between its own BEGIN and END marker lines (kept,",
        "// since parsers read the section from them); other comment and blank lines removed,",
        "// rules kept verbatim.",
        f"// Regenerate: python3 data/extract_public_suffix_list.py {pkg_version}",
    ]
    out = "\n".join(header + [BEGIN] + rules + [END]) + "\n"
    args.out.write_text(out, encoding="utf-8")
    print(f"{args.out}: {len(rules)} rules, {len(out.encode('utf-8'))} bytes "
          f"({PACKAGE} {pkg_version}, list {meta.get('VERSION', '?')})")
    write_tree(args.out)


if __name__ == "__main__":
    main()
