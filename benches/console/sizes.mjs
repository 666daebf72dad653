// Initial download of the console: every file `dist/index.html` loads (HTML, JS, WASM,
// CSS; the favicon is listed apart), raw, gzip (level 9) and brotli (quality 11, text mode
// for text and generic for wasm, as a server precompressing them would).
// Usage: node sizes.mjs DIST_DIR [GOAL_BROTLI_KB]
//        node sizes.mjs DIST_DIR --total   (prints only the brotli total in bytes)
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dist = process.argv[2] || "dist";
const totalOnly = process.argv[3] === "--total";
const goalKb = totalOnly ? 150 : Number(process.argv[3] || 150);
const KB = 1000;

function kind(name) {
  if (name.endsWith(".wasm")) return "wasm";
  if (name.endsWith(".js")) return "js";
  if (name.endsWith(".css")) return "css";
  if (name.endsWith(".html")) return "html";
  return "other";
}

function sizes(bytes, text) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

// Every file, sub-folders included (wasm-bindgen snippets land in `snippets/`); Trunk's
// hidden staging folders are not part of the bundle.
// A sub-folder with its own index.html is another bundle (dist/lean, the embed's) and
// is measured on its own.
function files(dir, prefix = "") {
  return readdirSync(dir).sort().filter((n) => !n.startsWith(".")).flatMap((n) => {
    const path = join(dir, n);
    if (!statSync(path).isDirectory()) return [`${prefix}${n}`];
    return existsSync(join(path, "index.html")) ? [] : files(path, `${prefix}${n}/`);
  });
}

const rows = [];
for (const name of files(dist)) {
  const k = kind(name);
  const bytes = readFileSync(join(dist, name));
  rows.push({ name, kind: k, ...sizes(bytes, k !== "wasm") });
}
const fmt = (n) => (n / KB).toFixed(1);
const initial = rows.filter((r) => r.kind !== "other");
const byKind = {};
for (const r of initial) {
  const t = (byKind[r.kind] ||= { raw: 0, gzip: 0, brotli: 0, files: 0 });
  t.raw += r.raw; t.gzip += r.gzip; t.brotli += r.brotli; t.files += 1;
}
const total = initial.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });

if (totalOnly) {
  console.log(total.brotli);
  process.exit(0);
}
console.log(`### Initial download: \`${dist}/\` (KB = 1000 bytes)\n`);
console.log("| part | files | raw KB | gzip -9 KB | brotli -q 11 KB |");
console.log("|---|---|---|---|---|");
for (const k of ["wasm", "js", "css", "html"]) {
  const t = byKind[k];
  if (t) console.log(`| ${k} | ${t.files} | ${fmt(t.raw)} | ${fmt(t.gzip)} | ${fmt(t.brotli)} |`);
}
console.log(`| **total (HTML + JS + WASM + CSS)** | ${initial.length} | ${fmt(total.raw)} | ${fmt(total.gzip)} | **${fmt(total.brotli)}** |`);
for (const r of rows.filter((r) => r.kind === "other")) {
  console.log(`| (not counted: ${r.name}) | 1 | ${fmt(r.raw)} | ${fmt(r.gzip)} | ${fmt(r.brotli)} |`);
}
const met = total.brotli <= goalKb * KB;
console.log(`\nGoal <= ${goalKb} KB brotli: ${met ? "met" : "missed"} (${fmt(total.brotli)} KB brotli, ${fmt(total.gzip)} KB gzip, ${fmt(total.raw)} KB raw)\n`);
