"""The textmend CLI through click's runner and as a real subprocess, on real files."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import textmend
from cli_executable import REPO, TEXTMEND
from output_trees import tree
from textmend.cli import cli
from textmend.errors import TextmendError
from textmend.settings import Options

DAMAGED = (
    "Indiaâ€™s prime minister said the talks were â€œvery goodâ€\x9d.\n\n"
    "Advertisement\n\nMore text follows here.\n"
)
CLEAN = "A clean paragraph with nothing to repair.\n\nA second paragraph.\n"
CHECK_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>[^:]+): '.*' -> '.*'$"
)
REMOVED_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): removed \((?P<category>[^)]+)\): '.*'$")


def run(
    *args: str | os.PathLike[str],
    stdin: bytes | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    """The installed console script, in a subprocess; never a traceback."""
    proc = subprocess.run(
        [str(TEXTMEND), *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()
    return proc


def invoke(*args: str | os.PathLike[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def expected(data: bytes, **kwargs: object) -> bytes:
    return textmend.clean(data, **kwargs).text.encode("utf-8")  # type: ignore[arg-type]


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "world" / "asia").mkdir(parents=True)
    (src / "damaged.txt").write_bytes(DAMAGED.encode("utf-8"))
    (src / "world" / "clean.txt").write_bytes(CLEAN.encode("utf-8"))
    (src / "world" / "asia" / "crlf.txt").write_bytes(b"Line one  \r\nLine two\r\n\r\n\r\n")
    return src


def test_folder_is_mirrored_and_inputs_untouched(articles: Path, tmp_path: Path) -> None:
    before = tree(articles)
    out = tmp_path / "out"
    code, _, stderr = invoke("clean", articles, "-o", out, "--jobs", "2")
    assert code == 0, stderr
    assert tree(articles) == before
    produced = tree(out)
    assert set(produced) == set(before)
    for rel, data in before.items():
        assert produced[rel] == expected(data), rel
    assert produced["damaged.txt"] != before["damaged.txt"]
    assert "3 files" in stderr and "fixes" in stderr and "lines removed" in stderr


def test_single_file_to_output_file(articles: Path, tmp_path: Path) -> None:
    target = tmp_path / "single.txt"
    proc = run("clean", articles / "damaged.txt", "-o", target)
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes() == expected((articles / "damaged.txt").read_bytes())
    assert not (tmp_path / ".textmend-manifest.jsonl").exists()


# Start-up: what a one-file run over plain text must not import (the process pool, the HTML
# path and every optional integration or detector are loaded only by runs that use them).
NOT_AT_START_UP = (
    "multiprocessing",
    "concurrent.futures",
    "textmend.htmltext",
    "trafilatura",
    "lxml",
    "charset_normalizer",
    "ray",
    "scrapy",
    "datatrove",
    "zstandard",
)


def test_a_one_file_text_run_loads_only_what_it_needs(articles: Path, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from textmend.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"print(sorted(set({NOT_AT_START_UP!r}) & set(sys.modules)))\n"
    )
    source = tmp_path / "plain.txt"
    source.write_text("Officials said the talks were \u201cconstructive\u201d.\n", "utf-8")
    out = tmp_path / "out.txt"
    proc = subprocess.run(
        [sys.executable, "-c", script, "clean", str(source), "-o", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert out.exists()


def test_stdin_to_stdout() -> None:
    proc = run("clean", "-", stdin=DAMAGED.encode("cp1252", "replace"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected(DAMAGED.encode("cp1252", "replace"))
    proc = run("clean", "-", "--quiet", stdin=DAMAGED.encode("utf-8"))
    assert proc.stdout == expected(DAMAGED.encode("utf-8"))
    assert proc.stderr == b""


def test_in_place_with_backup(articles: Path) -> None:
    damaged, clean = articles / "damaged.txt", articles / "world" / "clean.txt"
    original = damaged.read_bytes()
    clean_mtime = clean.stat().st_mtime_ns
    proc = run("clean", "--in-place", "--backup", ".orig", articles)
    assert proc.returncode == 0, proc.stderr
    assert damaged.read_bytes() == expected(original)
    assert Path(str(damaged) + ".orig").read_bytes() == original
    # An input that needs no change is not touched, so it gets no backup either.
    assert clean.stat().st_mtime_ns == clean_mtime
    assert not Path(str(clean) + ".orig").exists()
    # A second run changes nothing and never overwrites the backup of the original.
    proc = run("clean", "--in-place", "--backup", ".orig", damaged)
    assert proc.returncode == 0, proc.stderr
    assert Path(str(damaged) + ".orig").read_bytes() == original


def test_report_lines(articles: Path, tmp_path: Path) -> None:
    (articles / "broken.txt").write_bytes(b"\x00\x01\x02\x03\x04 binary \x00\x00\x00")
    report = tmp_path / "report.jsonl"
    code, _, stderr = invoke("clean", articles, "-o", tmp_path / "out", "--report", report)
    assert code == 2
    entries = {Path(e["path"]).name: e for e in map(json.loads, report.read_text().splitlines())}
    assert set(entries) == {"damaged.txt", "clean.txt", "crlf.txt", "broken.txt"}
    damaged = textmend.clean((articles / "damaged.txt").read_bytes())
    assert entries["damaged.txt"]["status"] == "changed"
    assert entries["damaged.txt"]["encoding"] == damaged.encoding
    assert entries["damaged.txt"]["findings"] == [f.to_dict() for f in damaged.findings]
    assert entries["damaged.txt"]["removed"] == [r.to_dict() for r in damaged.removed]
    assert entries["clean.txt"]["status"] == "unchanged"
    assert entries["broken.txt"]["status"] == "error"
    assert "binary" in entries["broken.txt"]["error"]
    assert f"report: {report}" in stderr


def test_check_exit_codes_and_format(articles: Path, tmp_path: Path) -> None:
    clean_only = tmp_path / "clean_only"
    clean_only.mkdir()
    (clean_only / "a.txt").write_text(CLEAN)
    proc = run("check", clean_only)
    assert proc.returncode == 0 and proc.stdout == b""

    damaged = articles / "damaged.txt"
    before = damaged.read_bytes()
    proc = run("check", damaged)
    assert proc.returncode == 1
    assert damaged.read_bytes() == before
    lines = proc.stdout.decode().splitlines()
    result = textmend.clean(before)
    findings = [m for m in map(CHECK_LINE.match, lines) if m]
    removals = [m for m in map(REMOVED_LINE.match, lines) if m]
    assert len(findings) == len(result.findings)
    assert len(removals) == len(result.removed) >= 1
    assert [int(m["line"]) for m in findings] == [f.line for f in result.findings]
    assert all(m["path"] == str(damaged) for m in findings + removals)
    assert removals[0]["category"] == result.removed[0].category

    (clean_only / "bin.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(64))
    proc = run("check", clean_only)
    assert proc.returncode == 2
    assert f"{clean_only / 'bin.txt'}: ELF executable" in proc.stderr.decode()


def test_bad_inputs_are_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "bad"
    src.mkdir()
    cases = {
        "empty.txt": b"",
        "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "invalid-utf8.txt": b"Valid start, then \xff\xfe\xfd bad bytes \xc3\x28 in the middle\n",
        "utf16.txt": "UTF-16 text with a BOM: café, “quotes”.\n".encode("utf-16"),
        "cp1252.txt": "Café crème “quoted” — naïve.\n".encode("cp1252"),
        "good.txt": CLEAN.encode(),
    }
    for name, data in cases.items():
        (src / name).write_bytes(data)
    out = tmp_path / "out"
    proc = run("clean", src, "-o", out)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2  # binary.txt could not be processed
    assert f"{src / 'binary.txt'}: PNG image" in stderr
    assert not (out / "binary.txt").exists()
    for name, data in cases.items():
        if name == "binary.txt":
            continue
        try:
            want = expected(data)
        except TextmendError:
            assert f"{src / name}:" in stderr
            assert not (out / name).exists()
            continue
        assert (out / name).read_bytes() == want, name
    assert (out / "empty.txt").read_bytes() == b""
    assert (out / "utf16.txt").read_text("utf-8") == "UTF-16 text with a BOM: café, “quotes”.\n"
    assert "“quoted”" in (out / "cp1252.txt").read_text("utf-8")


def test_unreadable_inputs(tmp_path: Path) -> None:
    # /proc/self/mem is a regular file that cannot be read from offset 0, even by root.
    proc = run("clean", "/proc/self/mem", tmp_path / "missing.txt", "-o", tmp_path / "out")
    stderr = proc.stderr.decode()
    assert proc.returncode == 2
    assert "/proc/self/mem: Input/output error" in stderr
    assert f"{tmp_path / 'missing.txt'}: No such file or directory" in stderr
    assert len(stderr.strip().splitlines()) == 4  # two errors, the summary, the output folder


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_permission_denied(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    locked = src / "locked.txt"
    locked.write_text("secret\n")
    locked.chmod(0)
    (src / "ok.txt").write_text(CLEAN)
    proc = run("clean", src, "-o", tmp_path / "out")
    assert proc.returncode == 2
    assert f"{locked}: Permission denied" in proc.stderr.decode()
    assert (tmp_path / "out" / "ok.txt").exists()


def test_special_files_and_symlinks_are_skipped(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(DAMAGED)
    os.mkfifo(src / "pipe.txt")
    (src / "outside").symlink_to(tmp_path.parent)
    (src / "sub" / "loop").symlink_to(src)
    (src / "dangling.txt").symlink_to(tmp_path / "nowhere")
    proc = run("clean", src, "-o", tmp_path / "out", timeout=60)
    stderr = proc.stderr.decode()
    assert proc.returncode == 0, stderr
    assert f"{src / 'pipe.txt'}: skipped: named pipe (FIFO)" in stderr
    assert f"{src / 'outside'}: skipped: symlink points outside the input folder" in stderr
    assert f"{src / 'sub' / 'loop'}: skipped: folder already visited" in stderr
    assert f"{src / 'dangling.txt'}: skipped: dangling symlink" in stderr
    assert sorted(tree(tmp_path / "out")) == ["a.txt"]


def test_output_folder_inside_input_is_not_read_back(articles: Path) -> None:
    out = articles / "cleaned"
    for _ in range(2):
        code, _, stderr = invoke("clean", articles, "-o", out)
        assert code == 0, stderr
    assert not (out / "cleaned").exists()
    assert sorted(tree(out)) == ["damaged.txt", "world/asia/crlf.txt", "world/clean.txt"]


def test_usage_errors_exit_2(articles: Path, tmp_path: Path) -> None:
    assert run("clean", articles).returncode == 2
    assert run("clean", articles, "--backup", ".b", "-o", tmp_path / "o").returncode == 2
    assert run("clean", articles, "--in-place", "-o", tmp_path / "o").returncode == 2
    assert run("clean", "-", articles, "-o", tmp_path / "o").returncode == 2
    assert run("clean", articles, "-o", articles).returncode == 2
    assert run("frobnicate").returncode == 2


def test_html_and_format_options(tmp_path: Path) -> None:
    page = (
        "<!doctype html><html><head><title>T</title></head><body><nav>Home | News</nav>"
        "<article><h1>Headline here</h1><p>"
        + "Indiaâ€™s long paragraph of article text. " * 8
        + "</p><p>"
        + "Another paragraph of real content follows. " * 8
        + "</p></article>"
        "<footer>Copyright © 2024 Example</footer></body></html>"
    ).encode()
    src = tmp_path / "in"
    src.mkdir()
    (src / "page.html").write_bytes(page)
    (src / "page.data").write_bytes(page)
    code, _, stderr = invoke("clean", src, "-o", tmp_path / "out")
    assert code == 0, stderr
    assert (tmp_path / "out" / "page.html").read_bytes() == expected(page, html=True)
    assert (tmp_path / "out" / "page.data").read_bytes() == expected(page, html=None)
    code, _, _ = invoke("clean", src, "-o", tmp_path / "text", "--format", "text")
    assert (tmp_path / "text" / "page.html").read_bytes() == expected(page, html=False)


@pytest.mark.parametrize(
    ("flag", "options"),
    [
        ("--keep-boilerplate", Options(remove_boilerplate=False)),
        ("--mark-boilerplate", Options(mark_boilerplate=True)),
        ("--strict", Options(allow_inferred=False)),
    ],
)
def test_pipeline_flags(flag: str, options: Options, articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    code, _, stderr = invoke("clean", articles / "damaged.txt", "-o", out, flag)
    assert code == 0, stderr
    data = (articles / "damaged.txt").read_bytes()
    assert out.read_bytes() == expected(data, options=options)
    if flag != "--strict":
        assert out.read_bytes() != expected(data)


def test_demo_command(tmp_path: Path) -> None:
    """The Makefile's demo line, run from a copy of the repo layout."""
    fixtures = REPO / "fixtures" / "articles"
    if not fixtures.is_dir():
        pytest.skip("fixtures/articles not present")
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "articles").symlink_to(fixtures)
    proc = run(
        "clean", "fixtures/articles", "-o", "out", "--report", "out/report.jsonl", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    stderr = proc.stderr.decode()
    count = len(list(fixtures.iterdir()))
    assert re.search(rf"{count} files .* \d+ fixes; \d+ lines removed", stderr), stderr
    assert "report: out/report.jsonl" in stderr
    assert len((tmp_path / "out" / "report.jsonl").read_text().splitlines()) == count


def test_version_and_help() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and textmend.__version__.encode() in proc.stdout
    proc = run("clean", "--help")
    assert proc.returncode == 0 and b"--in-place" in proc.stdout


def test_python_dash_m_runs_the_same_command_line(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("India\u9225\u6a9a stance\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "textmend", "clean", str(source), "-o", "-", "--quiet"],
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == "India\u2019s stance\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.txt"]


def test_dash_output_is_stdout_for_one_file(tmp_path: Path) -> None:
    """``-o -`` writes to stdout (never a file named "-"), from a file or from stdin; a
    compressed shard comes out as plain JSONL; more than one input is refused."""
    text = tmp_path / "in.txt"
    text.write_bytes("Caf\u00e9 \u2014 ok\n".encode().decode("cp1252").encode())
    proc = run("clean", "in.txt", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == "Caf\u00e9 \u2014 ok\n"
    proc = run("clean", "-", "-o", "-", cwd=tmp_path, stdin=text.read_bytes())
    assert proc.returncode == 0 and proc.stdout.decode() == "Caf\u00e9 \u2014 ok\n"
    assert not (tmp_path / "-").exists()
    shard = tmp_path / "shard.jsonl.gz"
    shard.write_bytes(gzip.compress(json.dumps({"text": "It\u9225\u6a9a here", "id": 7}).encode()))
    proc = run("clean", "shard.jsonl.gz", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["text"] == "It\u2019s here" and record["id"] == 7
    proc = run("clean", "in.txt", "shard.jsonl.gz", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 2 and b"exactly one input file" in proc.stderr
