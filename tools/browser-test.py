#!/usr/bin/env python3
"""The embedding explorer in a real headless browser (Debian's chromium), as CI runs it.

Builds a small store from the shared data with the built `wordshift` (fastText vectors of
gensim's polarity fixture, an n-gram table, a sentiment head trained on rt-polarity), starts
`wordshift serve` on a free loopback port, and loads the page in self-test mode: the page
searches a word, draws the neighbours and the map, searches an unseen word (must be marked as
built from n-grams), clicks a point of the map (must search it), zooms, solves an analogy and
classifies a text, then writes its findings into the DOM. This script reads them with
`--dump-dom`, takes a PNG screenshot of the same state and checks that it is not blank, and
stops the server with SIGTERM (it must exit 0).

usage: python3 tools/browser-test.py [--wordshift .build/debug/wordshift] [--store S] [--out DIR]
Exit status 0 when every check passes. Python standard library only.
"""
import argparse, json, os, re, shutil, signal, struct, subprocess, sys, tempfile, time, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def data_file(rel):
    for base in [os.environ.get("WORDSHIFT_DATA", ""), os.path.join(ROOT, "corpora", "data"), os.path.join(ROOT, "..", "shared", "data")]:
        p = os.path.join(base, rel)
        if base and os.path.exists(p):
            return p
    sys.exit(f"browser-test: {rel} not found (run tools/fetch-data.sh)")


def run(cmd, **kw):
    t = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    if r.returncode != 0:
        sys.exit(f"browser-test: {' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    print(f"  {os.path.basename(cmd[0])} {cmd[1]} ({time.time() - t:.1f} s)", flush=True)
    return r


def build_store(wordshift, tmp):
    store = os.path.join(tmp, "polarity.sqlite")
    run([wordshift, "import", data_file("vectors/word2vec-text/pang_lee_polarity_fasttext.vec"), "--out", store, "--quiet"])
    run([wordshift, "subword", "fit", store, "--quiet"])
    run([wordshift, "classify", "train", store, "--train", data_file("reviews/movie-rt-polarity.tsv"),
         "--name", "sentiment", "--epochs", "3", "--quiet"])
    return store


def chromium():
    for name in ["chromium", "chromium-browser", "google-chrome"]:
        p = shutil.which(name)
        if p:
            return p
    sys.exit("browser-test: chromium not found (apt-get install chromium)")


def browser(args, timeout=120):
    profile = tempfile.mkdtemp(prefix="ws-chromium-")
    try:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}", "--virtual-time-budget=20000"] + args
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def png_ink(path):
    """Share of pixels that are clearly not background (the page is mostly white/light grey)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), f"unexpected PNG type {ctype}/{depth}"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    inked = total = 0
    i = 0
    for _ in range(h):
        f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
        for x in range(stride):  # undo the PNG row filter
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        for x in range(0, stride, bpp * 4):  # every 4th pixel is enough
            total += 1
            if min(line[x], line[x + 1], line[x + 2]) < 200:
                inked += 1
    return inked / max(1, total)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wordshift", default=os.path.join(ROOT, ".build", "debug", "wordshift"))
    ap.add_argument("--store", help="serve this store instead of building the polarity store")
    ap.add_argument("--word", default="good")
    ap.add_argument("--unseen", default="goodish")
    ap.add_argument("--analogy", default="good,bad,funny")
    ap.add_argument("--text", default="a funny and moving film , but the ending is dull")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out", "browser"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    started = time.time()
    tmp = tempfile.mkdtemp(prefix="ws-browser-")
    server = None
    try:
        store = args.store or build_store(args.wordshift, tmp)
        server = subprocess.Popen([args.wordshift, "serve", store, "--port", "0", "--quiet"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = server.stdout.readline().strip()
        m = re.match(r"listening on (http://127\.0\.0\.1:\d+)/", line)
        if not m:
            sys.exit(f"browser-test: server did not start: {line} {server.stderr.read()[-2000:]}")
        base = m.group(1)
        a, b, c = args.analogy.split(",")
        from urllib.parse import urlencode
        query = urlencode({"selftest": "1", "q": args.word, "unseen": args.unseen, "a": a, "b": b, "c": c, "text": args.text})
        url = f"{base}/?{query}"

        r = browser(["--dump-dom", url])
        # The last match: the page's own script mentions the element too.
        found = re.findall(r'<pre id="selftest" style="[^"]*">(.*?)</pre>', r.stdout, re.S)
        if not found:
            sys.exit(f"browser-test: the page wrote no self-test result\n{r.stdout[-3000:]}\n{r.stderr[-2000:]}")
        result = json.loads(found[-1].replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
        print("  page self-test:", json.dumps(result))

        shot = os.path.join(args.out, "explorer.png")
        if os.path.exists(shot):
            os.remove(shot)
        browser([f"--screenshot={shot}", "--window-size=1400,1150", url])
        if not os.path.exists(shot):
            sys.exit("browser-test: no screenshot was written")
        ink = png_ink(shot)
        print(f"  screenshot {shot}: {os.path.getsize(shot)} bytes, {100 * ink:.1f}% inked")

        # The same page as a user opens it on an unseen word (no self-test).
        shot2 = os.path.join(args.out, "explorer-unseen.png")
        browser([f"--screenshot={shot2}", "--window-size=1400,1150",
                 f"{base}/?{urlencode({'q': args.unseen, 'text': args.text})}"])
        ink2 = png_ink(shot2) if os.path.exists(shot2) else 0
        print(f"  screenshot {shot2}: {100 * ink2:.1f}% inked")

        server.send_signal(signal.SIGTERM)
        status = server.wait(timeout=30)
        server = None
        checks = {
            "self-test passed": result.get("ok") is True,
            "neighbours listed": result.get("steps", {}).get("neighbours", 0) > 0,
            "map drawn": result.get("steps", {}).get("mapPoints", 0) > 1,
            "unseen word marked": result.get("steps", {}).get("unseenBadge") == "built from n-grams",
            "map click searched": result.get("steps", {}).get("searchedAfterClick") == result.get("steps", {}).get("clickedWord"),
            "classifier answered": result.get("steps", {}).get("labels", 0) >= 2,
            "screenshots not blank": ink > 0.02 and ink2 > 0.02,
            "server exited 0 on SIGTERM": status == 0,
        }
        for name, ok in checks.items():
            print(f"  {'ok  ' if ok else 'FAIL'} {name}")
        print(f"browser test: {sum(checks.values())}/{len(checks)} checks in {time.time() - started:.0f} s")
        return 0 if all(checks.values()) else 1
    finally:
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
