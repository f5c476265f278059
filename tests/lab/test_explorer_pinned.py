"""`explore(out)` as the docs describe it: the page is written where `out` says."""

from __future__ import annotations

from tinygrad_init.lab import explorer as E


def test_explore_with_out_writes_the_page_it_returns(tmp_path):
    one = {**{k: v[:1] for k, v in E.QUICK_GRID.items()}, "depth": [2]}
    page = E.explore(tmp_path / "course", grid=one, rng=1)
    written = (tmp_path / "course" / "explorer.html").read_text("utf-8")  # a folder gets explorer.html
    assert written == page.html and written.startswith("<!DOCTYPE html>") and list(page.data)[0] in written
