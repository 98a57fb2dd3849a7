"""The Sarabun faces our PDFs embed: the package's files with one addition, so that text copied out of
a PDF reads ำ (SARA AM) as typed.

HarfBuzz draws ำ as two glyphs, NIKHAHIT (or NIKHAHIT with a tone mark, one ligature glyph) and SARA
AA. WeasyPrint writes one text per glyph into the PDF's ToUnicode map: the first time a glyph is drawn,
it gets its cluster's text (Kozea/WeasyPrint#2841). The SARA AA of ำ is drawn first inside a word like
สำนัก, so every later า copies out as ำ (งาน → งำน); a tone mark before ำ is lost the same way. Spelling ำ
out as ํ + า before rendering fixed the map but made copied text decomposed (สํานัก: searches fail) and
hid the words from libthai, which then broke lines inside them (ประ/จำ).

Here the SARA AA that follows a NIKHAHIT is a copy of its own glyph, one copy per tone mark (none,
่ ้ ๊ ๋), substituted by one more `ccmp` lookup. Each copy is only ever drawn at the end of an ำ with that
tone, so WeasyPrint maps it to "ำ" or "่ำ" … and the NIKHAHIT glyph to "", while า keeps "า": the copied
text is the text as typed, and the page looks the same (the copies are the same outline).

The files are derived once per source file (a few hundred ms) into a directory under the system's
temporary directory named for the package's files and this module's version, and reused after."""

import hashlib
import os
import tempfile
from copy import deepcopy
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
from fontTools.ttLib import TTFont

VERSION = "1"
SARA_AA = "uni0E32"
TONES = ("", "0E48", "0E49", "0E4A", "0E4B")  # none, MAI EK, MAI THO, MAI TRI, MAI CHATTAWA


def _copy_name(tone: str) -> str:
    return f"{SARA_AA}.am{tone}"


def _nikhahits(font: TTFont, tone: str) -> list[str]:
    """The glyphs a NIKHAHIT (with `tone`) may be by the time the lookup runs: plain and narrow."""
    names = [f"uni0E4D{tone}", f"uni0E4D{tone}.narrow"]
    return [name for name in names if name in font.getGlyphOrder()]


def _features(font: TTFont) -> str:
    lookups, rules = [], []
    for tone in TONES:
        lookups.append(f"lookup AM{tone or 'X'} {{ sub {SARA_AA} by {_copy_name(tone)}; }} AM{tone or 'X'};")
        before = " ".join(_nikhahits(font, tone))
        rules.append(f"    sub [{before}] {SARA_AA}' lookup AM{tone or 'X'};")
        if tone:  # the tone mark not (yet) joined to the NIKHAHIT
            plain = " ".join(_nikhahits(font, ""))
            rules.append(f"    sub [{plain}] uni{tone} {SARA_AA}' lookup AM{tone};")
    body = "\n".join(rules)
    return "\n".join(lookups) + f"\nfeature ccmp {{\n  lookup SARA_AM_AA {{\n{body}\n  }} SARA_AM_AA;\n}} ccmp;\n"


def _add_copies(font: TTFont) -> None:
    order = list(font.getGlyphOrder())
    glyf, hmtx = font["glyf"], font["hmtx"]
    for tone in TONES:
        name = _copy_name(tone)
        order.append(name)
        glyf.glyphs[name] = deepcopy(glyf[SARA_AA])
        hmtx.metrics[name] = hmtx.metrics[SARA_AA]
    font.setGlyphOrder(order)
    glyf.glyphOrder = order


def _graft(font: TTFont, extra: TTFont) -> None:
    """Append `extra`'s GSUB lookups to `font`'s and its chaining lookup to every `ccmp` feature."""
    table, added = font["GSUB"].table, extra["GSUB"].table
    offset = len(table.LookupList.Lookup)
    for lookup in added.LookupList.Lookup:
        for subtable in lookup.SubTable:
            for record in getattr(subtable, "SubstLookupRecord", None) or []:
                record.LookupListIndex += offset
        table.LookupList.Lookup.append(lookup)
    table.LookupList.LookupCount = len(table.LookupList.Lookup)
    chaining = [offset + i for i, lookup in enumerate(added.LookupList.Lookup) if lookup.LookupType == 6]
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex = sorted({*record.Feature.LookupListIndex, *chaining})
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)


def derive(source: Path, target: Path) -> None:
    """Write `source` with the SARA AA copies and their lookup to `target` (atomically)."""
    font = TTFont(str(source))
    _add_copies(font)
    buffer = BytesIO()
    font.save(buffer)
    buffer.seek(0)
    extra = TTFont(buffer)
    addOpenTypeFeaturesFromString(extra, _features(extra), tables=["GSUB"])
    _graft(font, extra)
    gdef = font["GDEF"].table.GlyphClassDef.classDefs
    for tone in TONES:
        if SARA_AA in gdef:
            gdef[_copy_name(tone)] = gdef[SARA_AA]
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    font.save(partial)
    os.replace(partial, target)


@cache
def font_dir(source_dir: Path, names: tuple[str, ...]) -> Path:
    """The directory holding the derived faces of `names` in `source_dir` (made once)."""
    digest = hashlib.sha256(VERSION.encode())
    for name in names:
        digest.update((source_dir / name).read_bytes())
    folder = Path(tempfile.gettempdir()) / f"kamkap-fonts-{digest.hexdigest()[:16]}"
    folder.mkdir(exist_ok=True)
    for name in names:
        if not (folder / name).is_file():
            derive(source_dir / name, folder / name)
    return folder
