"""The per-fragment stages as pure batch functions, run on a local Dask cluster of processes."""

from __future__ import annotations

import numpy as np
import pytest

from lerendewijk.batch import classify_batch, embed_batch, embed_workspace_on
from lerendewijk.embed import Embedder
from lerendewijk.workspace import Workspace

TEXTS = [
    "De lift is al drie weken kapot en ik kom de deur niet meer uit.",
    "Mijn buurvrouw doet elke dinsdag boodschappen voor me.",
    "Sinds ik met pensioen ben mis ik het gevoel dat ik ergens nodig ben.",
    "De huur is weer omhoog gegaan en de energierekening ook.",
    "In de moskee vind ik rust, daar hoor ik erbij.",
    "Zullen we beginnen?",
]


def test_batch_functions_are_pure_and_match_the_pipeline() -> None:
    vectors = embed_batch(TEXTS)
    assert vectors.shape == (len(TEXTS), 512) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.array_equal(vectors, embed_batch(TEXTS))
    assert np.allclose(vectors, Embedder().encode(TEXTS), atol=1e-6)
    first, second = classify_batch(TEXTS[:3]), classify_batch(TEXTS[:3])
    assert first == second and all({"domains", "status", "scores", "aspect", "actor", "tone"} <= set(p) for p in first)
    assert first[0]["domains"][0] == "materiele_situatie" or "lichaam_en_geest" in first[0]["domains"]


def test_embedding_a_workspace_on_a_local_dask_cluster(cycled: dict, tmp_path) -> None:  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("dask.distributed")
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(cycled["root"], root)
    with Workspace(root) as workspace:
        workspace.store.conn.execute("DELETE FROM embeddings")
        local = Embedder().encode(sorted({f.text for f in workspace.store.fragments()})[:20])
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with distributed.Client(cluster) as client:
                done = embed_workspace_on(client, workspace, batch_size=16)
        fragments = workspace.store.fragments()
        assert done == len({f.text for f in fragments})
        from lerendewijk.embed import embed_cached

        # the cycle now reads every vector from the cache; they equal what this process computes
        assert np.allclose(embed_cached(sorted({f.text for f in fragments})[:20], Embedder(), workspace.store), local, atol=1e-6)
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with distributed.Client(cluster) as client:
                assert embed_workspace_on(client, workspace) == 0
