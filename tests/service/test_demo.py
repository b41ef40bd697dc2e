"""`serve --demo`: one demo workspace, dataset and model, however often it starts."""

from __future__ import annotations

import stat

from mixwise.service import demo, models, workspaces
from mixwise.store import Store


def test_demo_is_created_once_and_its_key_reused(store: Store) -> None:
    first = demo.ensure_demo(store, sampler={"chains": 1, "draws": 20, "tune": 20})
    assert first.status == "queued"
    again = demo.ensure_demo(store)
    assert (again.dataset_id, again.model_id, again.key) == (
        first.dataset_id,
        first.model_id,
        first.key,
    )
    assert workspaces.authenticate(store, first.key).name == "demo"
    key_file = store.settings.home / demo.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    spec = models.get_model(store, first.workspace_id, first.model_id).spec
    assert "chains: 1" in spec
    models.cancel_model(store, first.workspace_id, first.model_id)  # failed/cancelled: refit
    third = demo.ensure_demo(store)
    assert third.model_id != first.model_id and third.dataset_id == first.dataset_id
