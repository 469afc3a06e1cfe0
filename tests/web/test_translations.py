"""The English catalogues are complete and compiled: every zh-Hant string of the UI has an English
translation, none is a fuzzy guess, and each committed .mo says what its .po says."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("licheng/**/locale/en/LC_MESSAGES/django.po"))


def _entries(po: Path) -> list[dict[str, object]]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags (obsolete
    entries skipped)."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in current:
                entries.append(current)
            current, key = {}, ""
        elif line.startswith("#,"):
            current["flags"] = line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] = str(current[key]) + ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return entries


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_has_an_english_translation(po):
    untranslated = [
        e["msgid"]
        for e in _entries(po)
        if e["msgid"] and not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in _entries(po) if "fuzzy" in str(e.get("flags", ""))]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po):
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in _entries(po):
        if entry["msgid"] and "msgid_plural" not in entry:
            msgid = str(entry["msgid"])
            context = entry.get("msgctxt")
            found = compiled.pgettext(str(context), msgid) if context else compiled.gettext(msgid)
            assert found == entry["msgstr"], msgid


def test_there_is_an_english_catalogue():
    assert ROOT / "licheng/locale/en/LC_MESSAGES/django.po" in CATALOGUES
