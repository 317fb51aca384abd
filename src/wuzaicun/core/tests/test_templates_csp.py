"""Templates obey the Content-Security-Policy: no inline scripts, handlers or style attributes."""

import re
from pathlib import Path

import wuzaicun

ROOT = Path(wuzaicun.__file__).parent
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=\"|\sstyle=\"|<style\b", re.IGNORECASE)


def test_no_template_needs_unsafe_inline():
    offenders = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}"
        for path in ROOT.rglob("*.html")
        for text in [path.read_text()]
        for m in INLINE.finditer(text)
    ]
    assert offenders == []


def test_the_check_would_catch_one():
    assert INLINE.search('<div style="color:red">') and INLINE.search("<script>alert(1)</script>")
    assert not INLINE.search('<script src="/static/x.js" defer></script>')
