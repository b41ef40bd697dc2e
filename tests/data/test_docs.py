"""Every finding code the checks can emit is documented for users in docs/data.md."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "mixwise" / "data"
DOC = Path(__file__).resolve().parents[2] / "docs" / "data.md"


def test_every_finding_code_is_documented() -> None:
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        codes |= set(re.findall(r'code="([a-z_]+)"', path.read_text()))
        codes |= set(re.findall(r'finding\(\s*"([a-z_]+)"', path.read_text()))
    assert len(codes) >= 20, codes
    doc = DOC.read_text()
    missing = sorted(c for c in codes if f"`{c}`" not in doc)
    assert not missing, f"undocumented finding codes: {missing}"
