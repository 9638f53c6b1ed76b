"""Media in a folder of this machine (MEDIA_FOLDER), served by the shop's `media` route;
its external URLs are on the shop's public address (`links.absolute_url`: PUBLIC_URL, else
the request's host), as link previews and search engines read them."""

from __future__ import annotations

import os
import tempfile

from ..links import absolute_url
from ..mount import url_for
from . import MediaError


class LocalStore:
    def __init__(self, folder: str) -> None:
        self.folder = folder

    def path(self, key: str) -> str:
        parts = key.split("/")
        if key.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise MediaError(f"Not a media key: {key!r}")
        return os.path.join(self.folder, *parts)

    def save(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path(key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            # written beside, then renamed: a reader never sees half a file
            handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".upload-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError as error:
            raise MediaError(f"Could not write {key}: {error}") from error

    def delete(self, key: str) -> None:
        try:
            os.remove(self.path(key))
        except FileNotFoundError:
            pass
        except OSError as error:
            raise MediaError(f"Could not delete {key}: {error}") from error

    def url(self, key: str, *, external: bool = False) -> str:
        if external:
            return absolute_url("media", filename=key)
        return url_for("media", filename=key)
