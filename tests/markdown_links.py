"""Checks that a reference from the docs or the rule files points at something in this repo."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = "```"


def anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown text (code blocks skipped)."""
    found, in_code = set(), False
    for line in markdown.splitlines():
        if line.startswith(_FENCE):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


def links(markdown: str) -> list[str]:
    """The targets of the Markdown links `[text](target)` outside code blocks."""
    targets, in_code = [], False
    for line in markdown.splitlines():
        if line.startswith(_FENCE):
            in_code = not in_code
        elif not in_code:
            targets.extend(_LINK.findall(line))
    return targets


def broken(reference: str, origin: Path = REPO) -> str | None:
    """Why `reference` does not lead to something real; None when it does.

    A reference is an http(s) URL, or a path with an optional `#anchor`, relative to
    `origin`: the file it is written in (a Markdown link), or a folder (the repo root
    for a rule's `source`). The file must exist inside the repo, and the anchor must
    be a heading of it.
    """
    parts = urlsplit(reference)
    if parts.scheme in ("http", "https"):
        return None if parts.netloc else "a URL without a host"
    if parts.scheme:
        return f"neither a web address nor a file ({parts.scheme}:)"
    name, _, anchor = reference.partition("#")
    base = origin if origin.is_dir() else origin.parent
    target = (base / name).resolve() if name else origin
    if not target.is_relative_to(REPO):
        return "a file outside the repository"
    if not target.exists():
        return f"no file {name} in the repository"
    if anchor:
        if not target.is_file() or target.suffix != ".md":
            return f"#{anchor} needs a Markdown file"
        if anchor not in anchors(target.read_text()):
            return f"no section #{anchor} in {target.relative_to(REPO)}"
    return None
