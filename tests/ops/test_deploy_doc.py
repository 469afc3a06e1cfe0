"""docs/deploy.md lists every environment variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_variable_is_documented():
    settings = (ROOT / "licheng" / "settings.py").read_text()
    read = set(re.findall(r'env(?:bool|int|list)?\("(LICHENG_[A-Z0-9_]+)"', settings))
    doc = (ROOT / "docs" / "deploy.md").read_text()
    missing = sorted(name for name in read if f"`{name}`" not in doc)
    assert read and missing == []
