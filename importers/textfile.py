"""Bytes to text for CSV files: byte-order marks, UTF-8, UTF-16 and the Windows code pages.

Detection order: a byte-order mark (UTF-8, UTF-16, UTF-32) wins; then strict UTF-8; then
``charset-normalizer`` restricted to single-byte European code pages and UTF-16 without a mark.
When cp1252 (Western European Windows, what Excel writes on German, Dutch, French and Finnish
machines) reads the text as well as its best guess, cp1252 is chosen. The user's
``--encoding`` always wins.
"""
from __future__ import annotations

import codecs

import charset_normalizer

from graph_service.errors import ImportRefused

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CANDIDATES = ["cp1252", "cp1250", "iso8859_15", "latin_1", "cp1257", "cp1251", "cp1253", "utf_16_le", "utf_16_be"]
_SAMPLE = 512 * 1024


def decode(data: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """``(text, description)``, e.g. ``("...", "cp1252 (detected)")``. Raises ImportRefused."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError, TypeError):
            raise ImportRefused([{"file": file, "message": f"{encoding!r} is not an encoding name; try utf-8, cp1252, latin-1 or utf-16"}]) from None
        try:
            return data.decode(encoding), f"{encoding} (as given)"
        except (UnicodeError, LookupError) as exc:  # also codecs that are not text encodings (rot13, zlib)
            if not isinstance(exc, UnicodeDecodeError):
                raise ImportRefused([{"file": file, "message": f"{encoding!r} is not a text encoding; try utf-8, cp1252, latin-1 or utf-16"}]) from None
            raise ImportRefused([{"file": file, "message": f"the file is not {encoding} text (byte {exc.start} cannot be read); try another --encoding or leave it out to detect it"}]) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                raise ImportRefused([{"file": file, "message": f"the file starts with a {name} byte-order mark but is not {name} text; give --encoding"}]) from None
            return text.lstrip("\ufeff"), f"{'utf-8' if name == 'utf-8-sig' else name} with byte-order mark (detected)"
    try:
        return data.decode("utf-8"), "utf-8 (detected)"
    except UnicodeDecodeError:
        pass
    results = list(charset_normalizer.from_bytes(data[:_SAMPLE], cp_isolation=_CANDIDATES))
    guess = "cp1252"
    if results:
        best = results[0]
        ties_cp1252 = "cp1252" in best.could_be_from_charset or any(
            m.encoding == "cp1252" and m.percent_chaos <= best.percent_chaos and m.percent_coherence >= best.percent_coherence
            for m in results)
        guess = "cp1252" if ties_cp1252 else best.encoding
    for name in (guess, "cp1252", "latin_1"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        label = {"latin_1": "latin-1", "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be"}.get(name, name)
        return text, f"{label} (detected; give --encoding if letters look wrong)"
    raise ImportRefused([{"file": file, "message": "cannot tell the text encoding; give --encoding (utf-8, cp1252, latin-1, utf-16)"}])
