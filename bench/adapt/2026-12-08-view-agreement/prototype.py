# Exploration: label-free class-prior estimate from agreement of conditionally independent views
# (method of moments: pairwise covariances and the third central moment of >= 3 view decisions).
import sys, re, zlib, random, itertools, numpy as np
D = "/work/shared/data/reviews/"
TOK = re.compile(r"[a-z0-9']+|[!?]")
def load_vecs(path):
    vec = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        n, d = map(int, f.readline().split())
        for line in f:
            p = line.rstrip().split(" ")
            vec[p[0]] = np.asarray(p[1:], dtype=np.float32)
    return vec, d
def read_tsv(path):
    out = []
    for line in open(path, encoding="utf-8"):
        if "\t" in line:
            l, t = line.rstrip("\n").split("\t", 1); out.append((1 if l == "pos" else 0, t))
    return out
def feats(texts, vec, d, V, salt):
    X = np.zeros((len(texts), V, d), np.float32)
    for i, t in enumerate(texts):
        cnt = np.zeros(V)
        for w in TOK.findall(t.lower()):
            v = vec.get(w)
            if v is None: continue
            k = zlib.crc32((salt + w).encode()) % V
            X[i, k] += v; cnt[k] += 1
        X[i] /= np.maximum(cnt, 1)[:, None]
    return X
def train_lr(X, y, l2=1e-3, iters=25):
    X1 = np.hstack([X, np.ones((len(X), 1), np.float32)]).astype(np.float64)
    w = np.zeros(X1.shape[1]); pw = len(y) / (2 * y.sum()); nw = len(y) / (2 * (len(y) - y.sum()))
    sw = np.where(y == 1, pw, nw)
    for _ in range(iters):
        p = 1 / (1 + np.exp(-X1 @ w))
        g = X1.T @ (sw * (p - y)) / len(y) + l2 * w
        H = (X1 * (sw * p * (1 - p))[:, None]).T @ X1 / len(y) + l2 * np.eye(len(w))
        w -= np.linalg.solve(H, g)
    return w
def score(X, w): return np.hstack([X, np.ones((len(X), 1), np.float32)]) @ w
def estimate(F):
    # F: n x V decisions in {-1,+1}; returns (pi, per-triple estimates)
    mu = F.mean(0); C = F - mu; V = F.shape[1]; ests = []
    R = C.T @ C / len(F)
    for i, j, k in itertools.combinations(range(V), 3):
        T = (C[:, i] * C[:, j] * C[:, k]).mean()
        den = R[i, j] * R[i, k] * R[j, k]
        if den <= 0: continue
        q = T * T / den; u = 1 / (4 + q); s = np.sqrt(max(0.0, 1 - 4 * u))
        ests.append((1 + s) / 2 if T < 0 else (1 - s) / 2)
    return (float(np.median(ests)) if ests else float("nan")), ests
def resample(rows, share, rng):
    pos = [r for r in rows if r[0] == 1]; neg = [r for r in rows if r[0] == 0]
    if share >= 0.5: keep = round(len(pos) * (1 - share) / share); neg = rng.sample(neg, min(keep, len(neg)))
    else: keep = round(len(neg) * share / (1 - share)); pos = rng.sample(pos, min(keep, len(pos)))
    out = pos + neg; rng.shuffle(out); return out
if __name__ == "__main__":
    V = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    salts = sys.argv[2].split(",") if len(sys.argv) > 2 else [""]
    vec, d = load_vecs("/work/artifacts/adapt/wiki100.txt")
    src = read_tsv(D + "restaurant-zomato-hyderabad.tsv") + read_tsv(D + "restaurant-yelp-kaggle-3k.tsv") + read_tsv(D + "restaurant-yelp-sentences.tsv")
    ys = np.array([r[0] for r in src], np.float64)
    rt = read_tsv(D + "movie-rt-polarity.tsv"); imdb = read_tsv(D + "movie-imdb-train.tsv")
    targets = []
    for name, rows in (("rt", rt), ("imdb", imdb)):
        for share in (0.25, 0.5, 0.75):
            for seed in (1, 2, 3):
                targets.append((f"{name} {int(share*100)}", share, seed, resample(rows, share, random.Random(seed))))
    for salt in salts:
        Xs = feats([t for _, t in src], vec, d, V, salt)
        W = [train_lr(Xs[:, k], ys) for k in range(V)]
        for name, share, seed, rows in targets:
            Xt = feats([t for _, t in rows], vec, d, V, salt)
            S = np.stack([score(Xt[:, k], W[k]) for k in range(V)], 1)
            F = np.where(S > 0, 1.0, -1.0)
            est, ests = estimate(F)
            med = np.median(S, 0); est2, _ = estimate(np.where(S > med, 1.0, -1.0))
            Z = (S - S.mean(0)) / S.std(0); est3, _ = estimate(Z)
            y = np.array([r[0] for r in rows]); acc = ((S > 0) == (y[:, None] == 1)).mean(0)
            print(f"V={V} {name} s{seed}: true {share:.2f} dec {est:.3f} median-dec {est2:.3f} scores {est3:.3f} share-by-views {np.round((F>0).mean(0),2).tolist()} view-acc {np.round(acc,3).tolist()}", flush=True)
