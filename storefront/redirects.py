"""Where a `next` parameter may send the browser: back into the shop, nowhere else.

Every view that redirects to a caller-given `next` (header preferences, cart forms, the
back-office login, buyers' sign-in) asks `safe_next`. Outside the feature layers, so any
feature may call it.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from .mount import state

# Browsers drop tabs and newlines from URLs and read a backslash as a slash, so
# "/\t/evil.example" and "/\\evil.example" both lead off-site; refuse them outright.
_REFUSED = frozenset("\\") | {chr(c) for c in range(0x20)} | {"\x7f"}


def _is_shop_path(path: str, prefix: str) -> bool:
    if not path.startswith("/") or path.startswith("//"):
        return False
    if any(char in _REFUSED for char in path):
        return False
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return False
    return not prefix or parts.path == prefix or parts.path.startswith(prefix + "/")


def safe_next(target: object, default: str) -> str:
    """`target` when it is a path inside the shop (under its mount prefix), else `default`.

    Refused: anything not a string, absolute URLs and schemes, `//host`, backslashes and
    control characters, also when percent-encoded (once or several times over) in the path.
    The query may hold encoded characters (a search for "a/b"), never raw control ones.
    """
    if not isinstance(target, str) or not target or len(target) > 2000:
        return default
    if any(char in _REFUSED and char != "\\" for char in target):
        return default  # a raw newline would also break the Location header
    prefix = state().url_prefix
    path, seen = target.split("?", 1)[0].split("#", 1)[0], set()
    while path not in seen:  # each decoding a browser or proxy might apply
        if not _is_shop_path(path, prefix):
            return default
        seen.add(path)
        path = unquote(path)
    return target
