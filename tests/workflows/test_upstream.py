"""An upgrade of Viewflow cannot silently break the engine: the upstream code our copies and
overrides were made from is the code installed."""

import pytest

from workflows import upstream


def test_the_installed_viewflow_is_the_one_our_copies_were_made_from():
    assert upstream.changed() == [], (
        f"Viewflow changed code that workflows.engine/nodes copy (made from {upstream.VERSION}): "
        "carry the change into our copy, then record the new digest in workflows/upstream.py"
    )


@pytest.mark.parametrize("name", list(upstream.COPIED))
def test_each_copy_names_an_upstream_piece_and_ours(name):
    ours, recorded = upstream.COPIED[name]
    assert upstream.resolve(name) is not None and upstream.resolve(ours) is not None
    assert len(recorded) == 64


def test_a_changed_upstream_piece_is_noticed(monkeypatch):
    name = next(iter(upstream.COPIED))
    ours, recorded = upstream.COPIED[name]
    monkeypatch.setitem(upstream.COPIED, name, (ours, "0" * 64))
    assert upstream.changed() == [name]
