"""The Ray engine on a real local Ray: the same outputs and report as the local engine."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from output_trees import tree
from textmend.cli import cli

ray = pytest.importorskip("ray")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    try:
        yield
    finally:
        ray.shutdown()


def make_inputs(root: Path) -> None:
    for i in range(60):
        folder = root / f"batch{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        body = f"Article {i}: Indiaâ€™s envoy said â€œyesâ€\x9d.\n\nAdvertisement\n\nEnd {i}.\n"
        (folder / f"{i:03d}.txt").write_text(body)
    (root / "bad.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(100))
    records = [json.dumps({"id": i, "text": f"Record {i} â€” Indiaâ€™s"}) for i in range(50)]
    records.insert(7, "{not json")
    (root / "shard.jsonl.gz").write_bytes(gzip.compress(("\n".join(records) + "\n").encode()))


def test_ray_engine_matches_local_engine(tmp_path: Path, local_ray: None) -> None:
    src = tmp_path / "in"
    make_inputs(src)
    runs = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        report = tmp_path / f"{engine}.jsonl"
        result = CliRunner().invoke(
            cli,
            [
                "clean",
                str(src),
                "-o",
                str(out),
                "--engine",
                engine,
                "--jobs",
                "2",
                "--report",
                str(report),
            ],
        )
        assert result.exit_code == 2, result.stderr  # bad.txt and the malformed record
        assert f"{src / 'bad.txt'}: ELF executable" in result.stderr
        runs[engine] = out
    assert tree(runs["ray"]) == tree(runs["local"])
    assert len(tree(runs["ray"])) == 61
    local_report = (tmp_path / "local.jsonl").read_text().replace(str(runs["local"]), "OUT")
    ray_report = (tmp_path / "ray.jsonl").read_text().replace(str(runs["ray"]), "OUT")
    assert ray_report == local_report
    # Resume works the same on Ray: a second run reuses every finished output.
    again = CliRunner().invoke(cli, ["clean", str(src), "-o", str(runs["ray"]), "--engine", "ray"])
    assert "61 already done by an earlier run" in again.stderr
