"""Planning a batch: which inputs exist, how each is read, where its output goes.

Safety rules live here because they are decided before any byte is read or written:

* only regular files are ever opened; FIFOs, devices and sockets are skipped with a reason
  (opening a FIFO for reading would block forever);
* symlinks inside a folder are followed only when they resolve inside that folder, and each
  directory is entered once (by device and inode), so loops and escapes are impossible;
* the output folder, the report file, textmend's own temporary files and (with ``--in-place
  --backup SUFFIX``) its backup copies are never read back as input, even when the output
  folder lies inside an input folder;
* two inputs that would produce the same output path are an error, not a silent overwrite.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from textmend.write import TEMP_PREFIX, TEMP_SUFFIX

# Kinds of work. "detect" means: a text file whose HTML-ness is decided from its content.
TEXT, HTML, DETECT, JSONL = "text", "html", "detect", "jsonl"

FORMAT_CHOICES = ("auto", "text", "html", "jsonl")

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_TEXT_SUFFIXES = (".txt", ".text", ".md")
# (suffix, compression) in the order they are tried; the longest suffixes come first.
_JSONL_SUFFIXES: tuple[tuple[str, str], ...] = (
    (".jsonl.gz", "gz"),
    (".jsonl.zst", "zst"),
    (".ndjson.gz", "gz"),
    (".ndjson.zst", "zst"),
    (".jsonl", ""),
    (".ndjson", ""),
)

_SPECIAL_FILES: tuple[tuple[int, str], ...] = (
    (stat.S_IFIFO, "named pipe (FIFO)"),
    (stat.S_IFCHR, "character device"),
    (stat.S_IFBLK, "block device"),
    (stat.S_IFSOCK, "socket"),
)


@dataclass(frozen=True, slots=True)
class Task:
    """One input file and where its output goes (``dest`` is None for ``check``)."""

    src: str
    display: str
    rel: str
    kind: str
    compression: str
    dest: str | None
    size: int
    mtime_ns: int

    def __reduce__(self) -> tuple[type[Task], tuple[Any, ...]]:
        # Pickled (to a worker and back) as the constructor's arguments: the default for a
        # frozen dataclass with slots lists and sets its fields in Python, per task.
        return Task, _task_fields(self)


_task_fields = attrgetter(*(f.name for f in fields(Task)))


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that is not processed, with why. ``fatal`` ones make the exit code 2."""

    display: str
    reason: str
    fatal: bool


@dataclass(slots=True)
class Plan:
    tasks: list[Task]
    skipped: list[Skipped]

    @property
    def total_bytes(self) -> int:
        return sum(task.size for task in self.tasks)


def display_path(path: str) -> str:
    """``path`` printable on any terminal: undecodable name bytes become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def kind_of(name: str, format_choice: str) -> tuple[str, str]:
    """(kind, compression) of a file called ``name`` under ``--format format_choice``."""
    lower = name.lower()
    for suffix, compression in _JSONL_SUFFIXES:
        if lower.endswith(suffix):
            if format_choice in ("auto", "jsonl"):
                return JSONL, compression
            break
    if format_choice == "jsonl":
        return JSONL, ""
    if format_choice == "text":
        return TEXT, ""
    if format_choice == "html":
        return HTML, ""
    if lower.endswith(_HTML_SUFFIXES):
        return HTML, ""
    if lower.endswith(_TEXT_SUFFIXES):
        return TEXT, ""
    return DETECT, ""


def special_file_reason(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read (None for regular files and folders)."""
    kind = stat.S_IFMT(mode)
    for special, reason in _SPECIAL_FILES:
        if kind == special:
            return reason
    return None


def is_inside(path: str, folder: str) -> bool:
    """True when the real path ``path`` is ``folder`` or lies below it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def is_temp_name(name: str) -> bool:
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


class Planner:
    """Turns command-line sources into tasks; see the module docstring for the rules."""

    def __init__(
        self,
        *,
        format_choice: str,
        out_root: str | None,
        exclude_files: Sequence[str] = (),
        backup_suffix: str | None = None,
    ) -> None:
        self.format_choice = format_choice
        # With --in-place --backup, NAME+SUFFIX files inside folders are textmend's own exact
        # copies: a rerun (say, after an interrupted run) must not clean them in place too.
        self.backup_suffix = backup_suffix
        self.out_root = os.path.abspath(out_root) if out_root else None
        self._excluded_dirs: set[tuple[int, int]] = set()
        self._excluded_files: set[tuple[int, int]] = set()
        if self.out_root and os.path.isdir(self.out_root):
            st = os.stat(self.out_root)
            self._excluded_dirs.add((st.st_dev, st.st_ino))
        for path in exclude_files:
            try:
                st = os.stat(path)
            except OSError:
                continue
            self._excluded_files.add((st.st_dev, st.st_ino))
        self._dest_owner: dict[str, str] = {}
        # (st_dev, st_ino) of each task's input, for the cheap "output is the input" test.
        self._src_ids: dict[str, tuple[int, int]] = {}
        # Output folders looked at by _dest_folder_missing: does the folder not exist?
        self._missing_folders: dict[str, bool] = {}

    def _is_backup(self, name: str) -> bool:
        suffix = self.backup_suffix
        return bool(suffix) and name.endswith(suffix) and len(name) > len(suffix)  # type: ignore[arg-type]

    def reserve(self, path: str, owner: str) -> None:
        """Mark ``path`` as written by something else (the report, the manifest)."""
        self._dest_owner[os.path.abspath(path)] = owner

    def plan(self, sources: Sequence[str]) -> Plan:
        plan = Plan([], [])
        for source in sources:
            for item in self._plan_source(source):
                if isinstance(item, Task):
                    clash = self._claim_dest(item)
                    if clash:
                        plan.skipped.append(clash)
                        continue
                    plan.tasks.append(item)
                else:
                    plan.skipped.append(item)
        return plan

    def _claim_dest(self, task: Task) -> Skipped | None:
        key = task.dest if task.dest is not None else task.src
        owner = self._dest_owner.get(key)
        if owner is not None:
            return Skipped(
                task.display, f"output {display_path(key)} is already produced from {owner}", True
            )
        self._dest_owner[key] = task.display
        if task.dest is not None and self._dest_is_src(task):
            return Skipped(
                task.display, "the output path is the input itself (use --in-place)", True
            )
        return None

    def _dest_is_src(self, task: Task) -> bool:
        """``realpath(dest) == realpath(src)``, answered by one stat in nearly every case.

        Both real paths can only be equal when ``dest`` exists and is the input's file
        (same device and inode), so a missing ``dest`` or another file settles it; only a
        ``dest`` that is the same file (the same path, or a hard link, which the rename
        would not write through) or one that cannot be stat'ed needs the real paths.
        """
        assert task.dest is not None
        if self._dest_folder_missing(task.dest):
            return False
        try:
            st = os.stat(task.dest)
        except FileNotFoundError:
            return False
        except OSError:
            pass
        else:
            src_id = self._src_ids.get(task.src)
            if src_id is not None and (st.st_dev, st.st_ino) != src_id:
                return False
        return os.path.realpath(task.dest) == os.path.realpath(task.src)

    def _dest_folder_missing(self, dest: str) -> bool:
        """True when the folder ``dest`` would be written to does not exist (so neither
        does ``dest``), found with one stat per folder instead of one per file.

        Into a new output folder (the usual first run) every ``dest`` is missing; asking
        each file's folder once settles its whole folder. Only "missing" is remembered:
        planning creates nothing, so a folder missing once stays missing while the plan is
        made, while in a folder that exists each ``dest`` is still looked at.
        """
        folder = os.path.dirname(dest)
        missing = self._missing_folders.get(folder)
        if missing is None:
            try:
                os.stat(folder)
            except FileNotFoundError:
                missing = True
            except OSError:
                missing = False  # let the stat of dest itself decide, as before
            else:
                missing = False
            self._missing_folders[folder] = missing
        return missing

    def _dest(self, rel: str) -> str | None:
        return os.path.join(self.out_root, rel) if self.out_root else None

    def _plan_source(self, source: str) -> Iterator[Task | Skipped]:
        shown = display_path(source)
        try:
            st = os.stat(source)
        except OSError as exc:
            yield Skipped(shown, exc.strerror or str(exc), True)
            return
        if stat.S_ISDIR(st.st_mode):
            yield from self._walk(source, st)
        elif stat.S_ISREG(st.st_mode):
            yield self._task(os.path.abspath(source), shown, os.path.basename(source), st)
        else:
            yield Skipped(shown, f"not a regular file: {special_file_reason(st.st_mode)}", True)

    def _task(self, src: str, shown: str, rel: str, st: os.stat_result) -> Task:
        kind, compression = kind_of(rel, self.format_choice)
        self._src_ids[src] = (st.st_dev, st.st_ino)
        return Task(src, shown, rel, kind, compression, self._dest(rel), st.st_size, st.st_mtime_ns)

    def _walk(self, root: str, root_stat: os.stat_result) -> Iterator[Task | Skipped]:
        root_real = os.path.realpath(root)
        if (root_stat.st_dev, root_stat.st_ino) in self._excluded_dirs:
            yield Skipped(
                display_path(root),
                "the input folder is the output folder (use --in-place to rewrite inputs)",
                True,
            )
            return
        visited = {(root_stat.st_dev, root_stat.st_ino)}
        stack: list[tuple[str, str]] = [(root, "")]
        while stack:
            folder, rel_folder = stack.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError as exc:
                yield Skipped(display_path(folder), f"cannot list folder: {exc.strerror}", True)
                continue
            subfolders: list[tuple[str, str]] = []
            for entry in entries:
                if is_temp_name(entry.name) or self._is_backup(entry.name):
                    continue
                rel = os.path.join(rel_folder, entry.name)
                shown = display_path(os.path.join(root, rel))
                resolved = self._resolve(entry, root_real)
                if isinstance(resolved, str):
                    yield Skipped(shown, resolved, False)
                    continue
                key = (resolved.st_dev, resolved.st_ino)
                if stat.S_ISDIR(resolved.st_mode):
                    if key in self._excluded_dirs:
                        continue
                    if key in visited:
                        yield Skipped(shown, "folder already visited (symlink loop)", False)
                        continue
                    visited.add(key)
                    subfolders.append((entry.path, rel))
                elif stat.S_ISREG(resolved.st_mode):
                    if key not in self._excluded_files:
                        yield self._task(os.path.abspath(entry.path), shown, rel, resolved)
                else:
                    reason = special_file_reason(resolved.st_mode) or "not a regular file"
                    yield Skipped(shown, reason, False)
            stack.extend(reversed(subfolders))

    @staticmethod
    def _resolve(entry: os.DirEntry[str], root_real: str) -> os.stat_result | str:
        """The stat of what ``entry`` stands for, or why it is not followed."""
        try:
            lstat = entry.stat(follow_symlinks=False)
        except OSError as exc:
            return f"cannot stat: {exc.strerror}"
        if not stat.S_ISLNK(lstat.st_mode):
            return lstat
        try:
            target = os.stat(entry.path)
        except FileNotFoundError:
            return "dangling symlink"
        except OSError as exc:
            return f"broken symlink: {exc.strerror}"
        real = os.path.realpath(entry.path)
        if not is_inside(real, root_real):
            return f"symlink points outside the input folder (to {display_path(real)})"
        return target


def single_output_file(sources: Sequence[str], output: str | None) -> bool:
    """True for ``textmend clean FILE -o OUTFILE``: one non-folder source, -o not a folder."""
    if output is None or len(sources) != 1:
        return False
    if output.endswith(os.sep) or os.path.isdir(output):
        return False
    return sources[0] == "-" or not os.path.isdir(sources[0])


def ensure_inside_output(dest: str, out_root: str) -> None:
    """Refuse to write ``dest`` when a symlink inside the output folder leads elsewhere."""
    real_parent = os.path.realpath(os.path.dirname(dest))
    if not is_inside(real_parent, os.path.realpath(out_root)):
        from textmend.errors import InputError

        raise InputError(f"output path leaves the output folder via a symlink: {real_parent}")
