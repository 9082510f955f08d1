"""textmend's datatrove steps run by datatrove's own LocalPipelineExecutor over a JSONL shard."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datatrove")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

import textmend
from textmend.datatrove import METADATA_KEY, TextmendCleaner, TextmendFormatter
from textmend.repair import fix

CJK = re.compile(r"[\u3400-\u9fff]")

ARTICLE = (
    "Mumbai’s monsoon arrived early this year — a week ahead of the forecast.\n"
    "Officials said the city’s drains were “mostly ready”.\n"
)
BOILERPLATE_ARTICLE = (
    "The council approved the new budget on Tuesday.\n"
    "Advertisement\n"
    "Spending on parks rises by a fifth.\n"
    "Sign up for our newsletter\n"
    "Share this article\n"
    "The vote was 7 to 2.\n"
)


def _gbk_mojibake(text: str) -> str:
    """UTF-8 bytes read as GBK: the damage behind 'India鈥檚' on Chinese-locale systems."""
    return text.encode("utf-8").decode("gb18030", errors="replace")


def _records() -> list[dict[str, Any]]:
    damaged = _gbk_mojibake(ARTICLE)
    assert "鈥" in damaged  # the fixture really carries the damage
    return [
        {"id": "gbk", "text": damaged, "url": "http://news.test/gbk", "lang": "en"},
        {"id": "ads", "text": BOILERPLATE_ARTICLE, "url": "http://news.test/ads", "lang": "en"},
        {"id": "fine", "text": "Nothing wrong here.\n", "url": "http://news.test/ok", "lang": "en"},
    ]


def _write_shard(folder: Path, records: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True)
    with (folder / "shard-0.jsonl").open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _run(tmp_path: Path, step: PipelineStep) -> dict[str, dict[str, Any]]:
    source, target = tmp_path / "in", tmp_path / "out"
    _write_shard(source, _records())
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(source)),
            step,
            JsonlWriter(str(target), output_filename="${rank}.jsonl", compression=None),
        ],
        tasks=1,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    lines = (target / "00000.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    return {row["id"]: row for row in rows}


def test_cleaner_step_repairs_strips_boilerplate_and_reports(tmp_path: Path):
    rows = _run(tmp_path, TextmendCleaner())
    assert set(rows) == {"gbk", "ads", "fine"}
    by_input = {record["id"]: record for record in _records()}
    for doc_id, row in rows.items():
        expected = textmend.clean(by_input[doc_id]["text"])
        assert row["text"] == expected.text
        assert row["metadata"]["url"] == by_input[doc_id]["url"]
        assert row["metadata"]["lang"] == "en"
        report = row["metadata"][METADATA_KEY]
        assert report["changed"] == expected.changed
        assert len(report["findings"]) == len(expected.findings)

    ads = rows["ads"]
    assert "Advertisement" not in ads["text"]
    assert "Sign up for our newsletter" not in ads["text"]
    assert "Share this article" not in ads["text"]
    assert "Spending on parks rises by a fifth." in ads["text"]
    removed = ads["metadata"][METADATA_KEY]["removed"]
    assert [line["text"] for line in removed] == [
        "Advertisement",
        "Sign up for our newsletter",
        "Share this article",
    ]
    assert rows["fine"]["text"] == "Nothing wrong here.\n"
    assert rows["fine"]["metadata"][METADATA_KEY]["changed"] is False

    stats = json.loads((tmp_path / "logs" / "stats" / "00000.json").read_text())
    cleaner_stats = next(s for s in stats if "textmend clean" in s["name"])
    assert cleaner_stats["stats"]["total"] == 3
    assert cleaner_stats["stats"]["textmend_lines_removed"]["total"] == 3


def test_cleaner_without_detail_stores_counts(tmp_path: Path):
    rows = _run(tmp_path, TextmendCleaner(detail=False, metadata_key="tm"))
    assert rows["ads"]["metadata"]["tm"]["removed"] == 3
    assert isinstance(rows["gbk"]["metadata"]["tm"]["findings"], int)


def test_formatter_step_repairs_only(tmp_path: Path):
    rows = _run(tmp_path, TextmendFormatter())
    by_input = {record["id"]: record for record in _records()}
    for doc_id, row in rows.items():
        assert row["text"] == fix(by_input[doc_id]["text"]).text
    # repair only: boilerplate lines stay
    assert "Advertisement\n" in rows["ads"]["text"]
    assert METADATA_KEY not in rows["ads"]["metadata"]
    assert rows["ads"]["metadata"]["url"] == "http://news.test/ads"


def test_formatter_removes_gbk_mojibake(tmp_path: Path):
    rows = _run(tmp_path, TextmendFormatter())
    assert not CJK.search(rows["gbk"]["text"])
    assert rows["gbk"]["text"] == ARTICLE
