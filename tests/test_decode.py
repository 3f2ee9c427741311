"""decode_bytes on the real seeds in every supported encoding, and on inputs that must be refused."""
import codecs
from pathlib import Path

import pytest

from jobun.text.decode import decode_bytes
from jobun.errors import InputError

SEEDS = sorted((Path(__file__).resolve().parent.parent / "corpus" / "raw").glob("*.txt"))


def _seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


_CODECS = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16"),      # with an explicit BOM, added below
    ("utf-16-be", "utf-16"),
    ("cp932", "cp932"),
    ("euc_jp", "euc-jp"),
]
# EUC-JP has no ① or some symbols two seeds print; those pairs are left out rather than skipped.
_CASES = [(seed, codec, expected) for seed in SEEDS for codec, expected in _CODECS
          if _encodable(_seed_text(seed), codec)]


@pytest.mark.parametrize("seed, codec, expected", _CASES, ids=lambda v: getattr(v, "stem", str(v))[:9])
def test_seed_round_trips_in_every_encoding(seed, codec, expected):
    text = _seed_text(seed)
    data = text.encode(codec)
    if codec == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    decoded, encoding = decode_bytes(data, seed.name)
    assert encoding == expected
    assert decoded == text


@pytest.mark.parametrize("text", ["第１条 この規約は適用する。", "ｱｲｳｴｵ（半角カナ）を含む第２条", "（定義）\n第３条 甲"])
def test_short_cp932_texts_are_cp932(text):
    assert decode_bytes(text.encode("cp932"), None) == (text, "cp932")


# Half-width katakana in EUC-JP (8E xx) is also valid CP932 kanji, so such texts are left out here.
@pytest.mark.parametrize("text", ["第１条 この規約は適用する。", "（定義）\n第３条 甲", "前項の規定にかかわらず、"])
def test_short_euc_jp_texts_are_euc_jp(text):
    assert decode_bytes(text.encode("euc_jp"), None) == (text, "euc-jp")


def test_newlines_are_left_for_the_lines_stage():
    text = "第１条 甲\r\n２ 乙\r第２条 丙\n"
    for codec in ("utf-8", "cp932", "utf-16"):
        assert decode_bytes(text.encode(codec), None)[0] == text


def test_empty_input_is_empty_utf8():
    assert decode_bytes(b"", "empty.txt") == ("", "utf-8")


def test_nul_bytes_mean_binary_with_offset_and_file_name():
    with pytest.raises(InputError) as caught:
        decode_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8 + b"IHDR", "logo.png")
    message = str(caught.value)
    assert "logo.png" in message and "offset 8" in message and "UTF-8" in message
    assert caught.value.source == "logo.png"


def test_utf16_without_bom_is_refused_as_binary():
    with pytest.raises(InputError, match="binary"):
        decode_bytes("第1条 the terms".encode("utf-16-le"), "x.txt")


@pytest.mark.parametrize("data", [
    bytes(range(0x80, 0x100)) * 4,                          # no legacy encoding decodes this
    b"\x81\x40" + "\ue000".encode("cp932") * 50,            # decodes as CP932, but only to private use
])
def test_undecodable_or_garbled_input_is_refused(data):
    with pytest.raises(InputError, match="expected text in UTF-8"):
        decode_bytes(data, "junk.dat")


def test_utf32_is_named_as_unsupported():
    with pytest.raises(InputError, match="UTF-32"):
        decode_bytes("第１条".encode("utf-32"), "x.txt")


def test_broken_utf16_reports_the_offset():
    with pytest.raises(InputError, match="offset"):
        decode_bytes(codecs.BOM_UTF16_LE + "第１条".encode("utf-16-le") + b"\x00\xd8", "x.txt")
