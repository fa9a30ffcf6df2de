"""Reads the main vectors of a Wordshift store from Python (peer-side benchmark tooling).

Format 5 stores keep them in `vector_chunks` (meta `vector_chunk_rows` rows per chunk: the rows'
float64 norms, then their little-endian float32 unit vectors); older stores in `vectors`, one
row per word (docs/store.md). Only float32 stores: quantized ones are decoded by Wordshift.
"""
import sqlite3
import sys

import numpy as np


def read_store(path):
    """Returns (words, norms as float64, unit vectors as a contiguous float32 matrix)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    if meta.get("vector_encoding", "float32") != "float32":
        sys.exit(f"{path}: vectors are {meta['vector_encoding']}; give a float32 store")
    dim = int(meta["dimension"])
    words = [w for (w,) in db.execute("SELECT word FROM words ORDER BY id")]
    if "vector_chunk_rows" in meta:
        parts = db.execute("SELECT norms, vectors FROM vector_chunks ORDER BY chunk").fetchall()
        norms = np.frombuffer(b"".join(p[0] for p in parts), dtype="<f8")
        units = np.frombuffer(b"".join(p[1] for p in parts), dtype="<f4")
    else:
        rows = db.execute("SELECT norm, vector FROM vectors ORDER BY id").fetchall()
        norms = np.array([r[0] for r in rows], dtype=np.float64)
        units = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4")
    db.close()
    if len(norms) != len(words) or units.size != len(words) * dim:
        sys.exit(f"{path}: {len(words)} words but {len(norms)} norms and {units.size} values")
    return words, norms.astype(np.float64), np.ascontiguousarray(units.reshape(len(words), dim))
