"""The load test's peer: a FastAPI service answering nearest-word queries with gensim's
`KeyedVectors.most_similar`, set up the way its users would run it.

    PEER_VECTORS=vectors.bin uvicorn gensim_app:app --workers 2 --app-dir tools/serve_peer

Every worker loads the word2vec binary file at start-up and computes the unit vectors there
(`fill_norms`), so no request pays for them. `GET /api/nearest?word=W&k=10` answers
`{"word", "neighbors": [{"word", "score"}]}` (the query word left out, as gensim does), 404 for
an unknown word; `GET /health` answers once the vectors are loaded. A plain `def` endpoint:
FastAPI runs it on its thread pool, so the event loop keeps accepting while numpy works.
"""
import os

from fastapi import FastAPI, HTTPException
from gensim.models import KeyedVectors

vectors = KeyedVectors.load_word2vec_format(os.environ["PEER_VECTORS"], binary=True)
vectors.fill_norms()
app = FastAPI()


@app.get("/health")
def health():
    return {"status": "ok", "words": len(vectors.index_to_key), "dimension": vectors.vector_size}


@app.get("/api/nearest")
def nearest(word: str, k: int = 10):
    if not 1 <= k <= 1000:
        raise HTTPException(status_code=400, detail="k must be from 1 to 1000")
    if word not in vectors.key_to_index:
        raise HTTPException(status_code=404, detail=f"{word!r} is not in the vocabulary")
    found = vectors.most_similar(word, topn=k)
    return {"word": word, "neighbors": [{"word": w, "score": float(s)} for w, s in found]}
