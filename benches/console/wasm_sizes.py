"""Where the console's wasm bytes go: section sizes, and code bytes per crate.

Reads a wasm module that still has its `name` section (the shipped module is built the
same way but without names: `wasm-bindgen --keep-debug`, then `wasm-opt -Oz -g` with the
same flags as Trunk), adds up each function body's size by the crate its name starts
with, and prints Markdown tables. Standard library only.

Usage: python3 wasm_sizes.py MODULE.wasm [TOP_N] [--functions N]
"""

import re
import sys
from collections import defaultdict

SECTION_NAMES = {
    0: "custom",
    1: "type",
    2: "import",
    3: "function",
    4: "table",
    5: "memory",
    6: "global",
    7: "export",
    8: "start",
    9: "element",
    10: "code",
    11: "data",
    12: "data count",
}


def leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def name_string(data, pos):
    length, pos = leb(data, pos)
    return data[pos : pos + length].decode("utf-8", "replace"), pos + length


def parse(data):
    assert data[:4] == b"\0asm", "not a wasm module"
    pos = 8
    sections = []
    imported_functions = 0
    bodies = []
    names = {}
    while pos < len(data):
        sid = data[pos]
        size, body = leb(data, pos + 1)
        end = body + size
        label = SECTION_NAMES.get(sid, str(sid))
        if sid == 0:
            custom, _ = name_string(data, body)
            label = f"custom: {custom}"
            if custom == "name":
                names = parse_names(data, body, end)
        elif sid == 2:
            count, p = leb(data, body)
            for _ in range(count):
                _, p = name_string(data, p)
                _, p = name_string(data, p)
                kind = data[p]
                p += 1
                if kind == 0:
                    _, p = leb(data, p)
                    imported_functions += 1
                elif kind == 1:
                    p += 1
                    flags, p = leb(data, p)
                    _, p = leb(data, p)
                    if flags & 1:
                        _, p = leb(data, p)
                elif kind == 2:
                    flags, p = leb(data, p)
                    _, p = leb(data, p)
                    if flags & 1:
                        _, p = leb(data, p)
                elif kind == 3:
                    p += 2
                else:
                    _, p = leb(data, p)
        elif sid == 10:
            count, p = leb(data, body)
            for i in range(count):
                length, q = leb(data, p)
                bodies.append((imported_functions + i, q + length - p))
                p = q + length
        sections.append((label, end - pos))
        pos = end
    return sections, bodies, names


def parse_names(data, pos, end):
    _, pos = name_string(data, pos)
    names = {}
    while pos < end:
        kind = data[pos]
        size, body = leb(data, pos + 1)
        if kind == 1:
            count, p = leb(data, body)
            for _ in range(count):
                index, p = leb(data, p)
                name, p = name_string(data, p)
                names[index] = name
        pos = body + size
    return names


IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The crate hashes of v0-mangled names (the precompiled standard library): `core[1a2b]::`.
HASH = re.compile(r"\[[0-9a-f]{6,}\]")


def path_crate(text):
    """The first path segment of `text` if it is followed by `::`, else None."""
    while text.startswith(("<", "&", "*", "(", "[")):
        text = text.lstrip("<&*([")
        for prefix in ("mut ", "const ", "dyn "):
            if text.startswith(prefix):
                text = text[len(prefix) :]
    match = IDENT.match(text)
    if match and text[match.end() :].startswith("::"):
        return match.group(0)
    return None


def crate_of(name):
    """The crate a (demangled) function name belongs to: for `<T as Trait>::f`, the crate
    of T, where the monomorphised code comes from, or the trait's crate when T is a
    primitive or a generic parameter. Drop glue is counted apart."""
    name = HASH.sub("", name)
    if name.startswith("core::ptr::drop_in_place"):
        return "(drop glue: core::ptr::drop_in_place)"
    if name.startswith("<"):
        inner = name[1:]
        self_type = IDENT.match(inner.lstrip("&*[( ").removeprefix("mut ").removeprefix("dyn "))
        crate = path_crate(inner)
        if crate is None and " as " in inner:
            crate = path_crate(inner.split(" as ", 1)[1])
        if crate is None and self_type and self_type.group(0) in ("str", "char"):
            crate = "core"
        if crate is not None:
            return crate
    crate = path_crate(name)
    if crate is not None:
        return crate
    if name.startswith(("__wbg", "__wbindgen", "__externref", "wasm_bindgen")):
        return "wasm_bindgen"
    if name in ("memcpy", "memset", "memmove", "memcmp", "bcmp") or name.startswith("__"):
        return "compiler_builtins"
    return "(unnamed)"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0]
    top = int(args[1]) if len(args) > 1 else 25
    functions = 0
    if "--functions" in sys.argv:
        functions = int(sys.argv[sys.argv.index("--functions") + 1])
    data = open(path, "rb").read()
    sections, bodies, names = parse(data)
    total = len(data)
    stripped = total - sum(s for label, s in sections if label.startswith("custom"))
    kb = lambda n: f"{n / 1000:.1f}"
    print(f"### Wasm sections (`{path.split('/')[-1]}`, names kept; {kb(stripped)} KB without custom sections)\n")
    print("| section | KB | share of the module without custom sections |")
    print("|---|---|---|")
    for label, size in sorted(sections, key=lambda s: -s[1]):
        if label.startswith("custom"):
            continue
        if size >= 1000:
            print(f"| {label} | {kb(size)} | {100 * size / stripped:.1f} % |")
    per_crate = defaultdict(int)
    count = defaultdict(int)
    code = sum(size for _, size in bodies)
    for index, size in bodies:
        crate = crate_of(names.get(index, ""))
        per_crate[crate] += size
        count[crate] += 1
    print(f"\n### Code bytes by crate (top {top}; code section {kb(code)} KB, {len(bodies)} functions)\n")
    print("| crate | code KB | share of code | functions |")
    print("|---|---|---|---|")
    ranked = sorted(per_crate.items(), key=lambda kv: -kv[1])
    for crate, size in ranked[:top]:
        print(f"| {crate} | {kb(size)} | {100 * size / code:.1f} % | {count[crate]} |")
    rest = sum(size for _, size in ranked[top:])
    if rest:
        print(f"| (all other crates) | {kb(rest)} | {100 * rest / code:.1f} % | {sum(count[c] for c, _ in ranked[top:])} |")
    if functions:
        print(f"\n### Largest functions (top {functions})\n")
        print("| bytes | function |")
        print("|---|---|")
        for index, size in sorted(bodies, key=lambda b: -b[1])[:functions]:
            name = names.get(index, f"#{index}").replace("|", "\\|")
            print(f"| {size} | `{name[:140]}` |")
    print()


if __name__ == "__main__":
    main()
