"""Damage recipes: how real software turns clean text into mojibake.

Each recipe is the chain of encode/decode steps a misconfigured program applies, named the
way textmend's detector names chains (``utf-8 read as gbk``). A recipe is *lossless* when
the damaged text still holds every byte of the original (so an exact repair is possible in
principle) and *lossy* when bytes were dropped, replaced by U+FFFD or by ``?``, and a
repair has to infer them. Lossy recipes only produce a case when something was actually
lost; otherwise the case would be a duplicate of the lossless recipe.

"Read as cp1252" follows the WHATWG/Windows behaviour for the five bytes cp1252 leaves
undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D): they become the C1 controls of the same number,
so the damage stays lossless. Python's strict cp1252 would refuse them, which is the
separate "lost byte" recipe.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass

CJK = frozenset({"zh", "ja", "ko"})
EVERY_GROUP = frozenset(
    {"ascii", "latin", "cyrillic", "greek", "hebrew", "arabic", "thai", "zh", "ja", "ko"}
)
NOT_CJK = EVERY_GROUP - CJK


def _sloppy_table(codec: str) -> str:
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes((byte,)).decode(codec))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars)


_SLOPPY_CP1252 = _sloppy_table("cp1252")
_SLOPPY_CP1252_ENCODING = codecs.charmap_build(_SLOPPY_CP1252)


def read_as_cp1252(data: bytes) -> str:
    """Bytes decoded as a browser decodes windows-1252 (undefined bytes kept as C1 controls)."""
    return codecs.charmap_decode(data, "strict", _SLOPPY_CP1252)[0]


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _encode(text: str, codec: str) -> bytes | None:
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        return None


Damage = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class Recipe:
    """A named damage chain, the language groups it is realistic for, and whether it loses data."""

    name: str
    lossless: bool
    groups: frozenset[str]
    damage: Damage
    # Beyond the damage table (see WIDER_RECIPES): counted in a total of its own.
    wider: bool = False

    @property
    def kind(self) -> str:
        return "lossless" if self.lossless else "lossy"

    @property
    def total(self) -> str:
        """The total row this recipe counts in: the issue's lossless or lossy damage, or
        the wider damage."""
        return "wider" if self.wider else self.kind

    def apply(self, text: str, group: str) -> str | None:
        """The damaged text, or None when the recipe does not apply or changes nothing."""
        if group not in self.groups:
            return None
        damaged = self.damage(text)
        if damaged is None or damaged == text:
            return None
        return damaged


# --- lossless chains -------------------------------------------------------------------


def utf8_read_as(codec: str) -> Damage:
    """UTF-8 bytes decoded strictly with ``codec``; no case when some bytes do not decode."""

    def damage(text: str) -> str | None:
        return _strict(text.encode("utf-8"), codec)

    return damage


def utf8_read_as_cp1252(text: str) -> str:
    return read_as_cp1252(text.encode("utf-8"))


def utf8_read_as_sloppy(codec: str) -> Damage:
    """UTF-8 bytes decoded with ``codec`` as a browser decodes it: a byte the code page
    leaves undefined stays the C1 control of the same number (see :func:`read_as_cp1252`)."""
    table = _sloppy_table(codec)

    def damage(text: str) -> str:
        return codecs.charmap_decode(text.encode("utf-8"), "strict", table)[0]

    return damage


def utf8_read_as_cp1252_three_times(text: str) -> str:
    once = read_as_cp1252(text.encode("utf-8"))
    return read_as_cp1252(read_as_cp1252(once.encode("utf-8")).encode("utf-8"))


def utf8_read_as_cp1251_then_cp1252(text: str) -> str:
    """Two single-byte layers of different code pages: UTF-8 read as cp1251, saved as
    UTF-8, then that read as cp1252."""
    return read_as_cp1252(utf8_read_as_sloppy("cp1251")(text).encode("utf-8"))


def utf8_read_as_cp1252_twice(text: str) -> str:
    return read_as_cp1252(read_as_cp1252(text.encode("utf-8")).encode("utf-8"))


def legacy_read_as(source: str, target: str) -> Damage:
    """Text stored in the legacy ``source`` codec and decoded as ``target``."""

    def damage(text: str) -> str | None:
        data = _encode(text, source)
        if data is None:
            return None
        if target == "cp1252":
            return read_as_cp1252(data)
        return _strict(data, target)

    return damage


def utf8_read_as_gbk_then_cp1252(text: str) -> str | None:
    """Two layers: UTF-8 read as GBK, saved as UTF-8, then that read as cp1252."""
    first = _strict(text.encode("utf-8"), "gbk")
    return None if first is None else read_as_cp1252(first.encode("utf-8"))


# --- lossy chains ----------------------------------------------------------------------


def utf8_read_as_losing(codec: str, errors: str) -> Damage:
    """UTF-8 decoded with ``codec`` dropping (``ignore``) or replacing invalid bytes.

    Only applies when the strict decode fails, i.e. when something is really lost.
    """

    def damage(text: str) -> str | None:
        data = text.encode("utf-8")
        if _strict(data, codec) is not None:
            return None
        return data.decode(codec, errors=errors)

    return damage


def utf8_read_as_cp1252_lost_bytes(text: str) -> str | None:
    """Strict cp1252 with replacement: 0x81/0x8D/0x8F/0x90/0x9D become U+FFFD (``â€�``)."""
    return utf8_read_strictly(text, "cp1252")


def utf8_read_strictly(text: str, codec: str) -> str | None:
    """UTF-8 bytes decoded by the strict ``codec`` with replacement, each byte it leaves
    undefined one U+FFFD; None where it leaves none of them undefined (lossless damage)."""
    data = text.encode("utf-8")
    if _strict(data, codec) is not None:
        return None
    return data.decode(codec, errors="replace")


def utf8_read_strictly_as(codec: str) -> Damage:
    """:func:`utf8_read_strictly` through ``codec``, as a damage recipe."""

    def damage(text: str) -> str | None:
        return utf8_read_strictly(text, codec)

    return damage


def utf8_read_as_cp1252_dropped_bytes(text: str) -> str | None:
    """As the lost-byte recipe, but the undefined bytes left nothing (``friendsâ€ and``):
    a decoder run with ``errors="ignore"``, or a cleaner that stripped what it could not
    show. The commonest of them is the last byte of ”, E2 80 9D."""
    damaged = utf8_read_as_cp1252_lost_bytes(text)
    return None if damaged is None else damaged.replace("\ufffd", "")


def utf8_read_as_cp1252_question_marks(text: str) -> str | None:
    """As the lost-byte recipe, but the converter wrote ``?`` for each undefined byte."""
    damaged = utf8_read_as_cp1252_lost_bytes(text)
    return None if damaged is None else damaged.replace("\ufffd", "?")


def utf8_read_as_cp1252_saved_as_latin1(text: str) -> str | None:
    """Mojibake saved as Latin-1: ``€ ™ œ …`` (outside Latin-1) become ``?`` (``Indiaâ€?s``)."""
    mojibake = utf8_read_as_cp1252(text)
    saved = mojibake.encode("latin-1", errors="replace").decode("latin-1")
    return None if saved == mojibake else saved


def single_byte_read_as_utf8(codec: str) -> Damage:
    """Text stored in the single-byte ``codec`` and read as UTF-8 with replacement: each
    accented letter or typographic mark (a high byte before ASCII) becomes U+FFFD
    (``B\ufffdrgermeister``, ``don\ufffdt``)."""

    def damage(text: str) -> str | None:
        data = _encode(text, codec)
        return None if data is None else data.decode("utf-8", errors="replace")

    return damage


def utf8_read_as_ascii_question_marks(text: str) -> str | None:
    """Every non-ASCII byte replaced by ``?`` (``India???s``).

    Only for text whose non-ASCII characters are all punctuation: a lost letter (``caf??``)
    has no unambiguous repair.
    """
    if any(char.isalpha() for char in text if ord(char) > 0x7F):
        return None
    return text.encode("utf-8").decode("ascii", errors="replace").replace("\ufffd", "?")


def saved_as_latin1_question_marks(text: str) -> str | None:
    """Western text saved as Latin-1: curly quotes and dashes become ``?`` (``India?s``).

    Only for text whose letters all exist in Latin-1, so that the lost characters are
    punctuation that context can restore.
    """
    lost = [char for char in text if ord(char) > 0xFF]
    if not lost or any(char.isalpha() for char in lost):
        return None
    return text.encode("latin-1", errors="replace").decode("latin-1")


RECIPES: tuple[Recipe, ...] = (
    Recipe("utf-8 read as cp1252", True, EVERY_GROUP, utf8_read_as_cp1252),
    Recipe("utf-8 read as latin-1", True, EVERY_GROUP, utf8_read_as("latin-1")),
    Recipe("utf-8 read as cp1252, twice", True, EVERY_GROUP, utf8_read_as_cp1252_twice),
    Recipe("utf-8 read as gbk", True, NOT_CJK, utf8_read_as("gbk")),
    Recipe("utf-8 read as gb18030", True, NOT_CJK, utf8_read_as("gb18030")),
    Recipe("utf-8 read as big5", True, NOT_CJK, utf8_read_as("big5")),
    Recipe("utf-8 read as euc-kr", True, NOT_CJK, utf8_read_as("euc_kr")),
    Recipe("utf-8 read as shift_jis", True, NOT_CJK, utf8_read_as("shift_jis")),
    Recipe("utf-8 read as cp932", True, NOT_CJK, utf8_read_as("cp932")),
    Recipe("utf-8 read as euc-jp", True, NOT_CJK, utf8_read_as("euc_jp")),
    Recipe("chinese utf-8 read as gbk", True, frozenset({"zh"}), utf8_read_as("gbk")),
    Recipe("gbk read as cp1252", True, frozenset({"zh"}), legacy_read_as("gbk", "cp1252")),
    Recipe("gbk read as latin-1", True, frozenset({"zh"}), legacy_read_as("gbk", "latin-1")),
    Recipe("big5 read as cp1252", True, frozenset({"zh"}), legacy_read_as("big5", "cp1252")),
    Recipe("big5 read as latin-1", True, frozenset({"zh"}), legacy_read_as("big5", "latin-1")),
    Recipe(
        "shift_jis read as cp1252", True, frozenset({"ja"}), legacy_read_as("shift_jis", "cp1252")
    ),
    Recipe(
        "shift_jis read as latin-1",
        True,
        frozenset({"ja"}),
        legacy_read_as("shift_jis", "latin-1"),
    ),
    Recipe("euc-kr read as cp1252", True, frozenset({"ko"}), legacy_read_as("euc_kr", "cp1252")),
    Recipe("euc-kr read as latin-1", True, frozenset({"ko"}), legacy_read_as("euc_kr", "latin-1")),
    Recipe(
        "cp1251 read as cp1252", True, frozenset({"cyrillic"}), legacy_read_as("cp1251", "cp1252")
    ),
    Recipe(
        "koi8-r read as cp1251", True, frozenset({"cyrillic"}), legacy_read_as("koi8_r", "cp1251")
    ),
    Recipe("utf-8 read as cp1251", True, frozenset({"latin"}), utf8_read_as("cp1251")),
    Recipe("utf-8 read as gbk, then as cp1252", True, NOT_CJK, utf8_read_as_gbk_then_cp1252),
    Recipe(
        "utf-8 read as gbk, bytes dropped", False, NOT_CJK, utf8_read_as_losing("gbk", "ignore")
    ),
    Recipe(
        "utf-8 read as gbk, bytes replaced",
        False,
        NOT_CJK,
        utf8_read_as_losing("gbk", "replace"),
    ),
    Recipe(
        "utf-8 read as big5, bytes replaced",
        False,
        NOT_CJK,
        utf8_read_as_losing("big5", "replace"),
    ),
    Recipe(
        "utf-8 read as euc-kr, bytes replaced",
        False,
        NOT_CJK,
        utf8_read_as_losing("euc_kr", "replace"),
    ),
    Recipe(
        "utf-8 read as cp932, bytes replaced",
        False,
        NOT_CJK,
        utf8_read_as_losing("cp932", "replace"),
    ),
    Recipe(
        "utf-8 read as euc-jp, bytes replaced",
        False,
        NOT_CJK,
        utf8_read_as_losing("euc_jp", "replace"),
    ),
    Recipe(
        "chinese utf-8 read as gbk, bytes replaced",
        False,
        frozenset({"zh"}),
        utf8_read_as_losing("gbk", "replace"),
    ),
    Recipe("utf-8 read as cp1252, bytes lost", False, EVERY_GROUP, utf8_read_as_cp1252_lost_bytes),
    Recipe(
        "utf-8 read as cp1252, '?' for lost bytes",
        False,
        EVERY_GROUP,
        utf8_read_as_cp1252_question_marks,
    ),
    Recipe(
        "utf-8 read as cp1252, saved as latin-1 with '?'",
        False,
        EVERY_GROUP,
        utf8_read_as_cp1252_saved_as_latin1,
    ),
    Recipe(
        "utf-8 read as ascii, '?' per byte",
        False,
        frozenset({"latin", "ascii"}),
        utf8_read_as_ascii_question_marks,
    ),
    Recipe(
        "saved as latin-1, '?' per character",
        False,
        frozenset({"latin", "ascii"}),
        saved_as_latin1_question_marks,
    ),
)

# Damage beyond the table, none of it tuned on: UTF-8 read through the other code
# pages of Windows, DOS, Mac and ISO-8859 systems, legacy text of other scripts read as
# Western, the Cyrillic code pages read as each other, and chains of three layers. Counted
# in a total of their own ("wider"), so that the targets stay measured on its table.
WIDER_RECIPES: tuple[Recipe, ...] = (
    *(
        Recipe(f"utf-8 read as {name}", True, EVERY_GROUP, utf8_read_as_sloppy(codec), wider=True)
        for name, codec in (
            ("cp1250", "cp1250"),
            ("cp1253", "cp1253"),
            ("cp1254", "cp1254"),
            ("cp1257", "cp1257"),
            ("cp1255", "cp1255"),
            ("cp1256", "cp1256"),
            ("cp874", "cp874"),
            ("iso-8859-7", "iso8859_7"),
            ("cp852", "cp852"),
            ("mac_cyrillic", "mac_cyrillic"),
            ("iso-8859-2", "iso8859_2"),
            ("iso-8859-15", "iso8859_15"),
            ("mac_roman", "mac_roman"),
            ("koi8-r", "koi8_r"),
            ("cp437", "cp437"),
            ("cp850", "cp850"),
            ("cp866", "cp866"),
        )
    ),
    Recipe(
        "utf-8 read as cp1252, three times",
        True,
        EVERY_GROUP,
        utf8_read_as_cp1252_three_times,
        wider=True,
    ),
    Recipe(
        "utf-8 read as cp1251, then as cp1252",
        True,
        EVERY_GROUP,
        utf8_read_as_cp1251_then_cp1252,
        wider=True,
    ),
    *(
        Recipe(
            f"{source} read as {target}",
            True,
            frozenset(groups),
            legacy_read_as(source_codec, target_codec),
            wider=True,
        )
        for source, target, source_codec, target_codec, groups in (
            ("cp1251", "koi8-r", "cp1251", "koi8_r", {"cyrillic"}),
            ("koi8-r", "cp1252", "koi8_r", "cp1252", {"cyrillic"}),
            ("cp866", "cp1251", "cp866", "cp1251", {"cyrillic"}),
            ("cp1251", "cp866", "cp1251", "cp866", {"cyrillic"}),
            ("iso-8859-5", "cp1251", "iso8859_5", "cp1251", {"cyrillic"}),
            ("mac_cyrillic", "cp1251", "mac_cyrillic", "cp1251", {"cyrillic"}),
            ("cp1253", "cp1252", "cp1253", "cp1252", {"greek"}),
            ("cp1255", "cp1252", "cp1255", "cp1252", {"hebrew"}),
            ("cp1256", "cp1252", "cp1256", "cp1252", {"arabic"}),
            ("cp874", "cp1252", "cp874", "cp1252", {"thai"}),
            ("cp1250", "cp1252", "cp1250", "cp1252", {"latin"}),
            ("iso-8859-2", "latin-1", "iso8859_2", "latin_1", {"latin"}),
            ("cp1254", "cp1252", "cp1254", "cp1252", {"latin"}),
            ("cp1257", "cp1252", "cp1257", "cp1252", {"latin"}),
            ("euc-jp", "cp1252", "euc_jp", "cp1252", {"ja"}),
        )
    ),
    *(
        Recipe(
            f"{name} read as utf-8, bytes replaced",
            False,
            frozenset({"latin", "ascii"}),
            single_byte_read_as_utf8(codec),
            wider=True,
        )
        for name, codec in (("cp1252", "cp1252"), ("cp1250", "cp1250"))
    ),
    Recipe(
        "utf-8 read as cp1252, undefined bytes dropped",
        False,
        EVERY_GROUP,
        utf8_read_as_cp1252_dropped_bytes,
        wider=True,
    ),
    # The Windows code pages of Central Europe, Turkey and the Baltics, strict with
    # replacement, as the cp1252 row: each leaves other bytes undefined (cp1250
    # 81 83 88 90 98, so ă is Ä�), and the repair cannot tell which decoder made a mark.
    *(
        Recipe(
            f"utf-8 read as {codec}, bytes lost",
            False,
            EVERY_GROUP,
            utf8_read_strictly_as(codec),
            wider=True,
        )
        for codec in ("cp1250", "cp1254", "cp1257")
    ),
)

RECIPES_BY_NAME = {recipe.name: recipe for recipe in (*RECIPES, *WIDER_RECIPES)}
