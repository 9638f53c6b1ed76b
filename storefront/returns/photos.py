"""Photos of what comes back: required on the buyer's page for goods that came damaged or
not as described (optional in the API), at most MAX_PHOTOS a return. Checked and resized by
the catalog's image steps (by content, upright, no metadata) and written to the media store
in the request's transaction: a return that is not kept leaves no file."""

from __future__ import annotations

import secrets

from flask_babel import gettext
from PIL.Image import Image

from ..catalog.images import EXTENSION, ImageNotStored, encoded, opened, upright_rgb
from ..db import db
from ..media import MediaError, discard, save_in_transaction, store
from .eligibility import ReturnRefused
from .tables import ReturnPhoto, ReturnRequest

MAX_PHOTOS = 5
NEEDS_PHOTO = ("damaged", "not_as_described")
# by the long side: the buyer's and the back office's thumbnail, and the one to inspect
SIZES = {"thumb": 320, "large": 1600}
CONTENT_TYPE = "image/webp"


def checked(data: bytes) -> Image:
    """The photo decoded and upright; catalog's ImageRefused for a file it does not take."""
    return upright_rgb(opened(data))


def carried(image: Image) -> bytes:
    """The photo as the review page carries it to the confirmation (its largest size)."""
    return encoded(image, SIZES["large"])[0]


def too_many() -> ReturnRefused:
    return ReturnRefused(
        gettext("Send at most %(n)s photos with a return.", n=MAX_PHOTOS),
        "too_many_photos",
        "file",
    )


def add_photos(request: ReturnRequest, images: list[Image]) -> list[ReturnPhoto]:
    """Write the photos' sizes and keep them on the return (flushed). ReturnRefused past
    MAX_PHOTOS; ImageNotStored when the store fails (the files written are removed)."""
    if len(request.photos) + len(images) > MAX_PHOTOS:
        raise too_many()
    added, written = [], []
    try:
        for image in images:
            token, sizes = secrets.token_hex(6), {}
            for name, side in SIZES.items():
                data, width, height = encoded(image, side)
                key = f"returns/{request.rma}/{token}-{name}.{EXTENSION}"
                save_in_transaction(db.session, key, data, CONTENT_TYPE)
                written.append(key)
                sizes[name] = {"key": key, "width": width, "height": height}
            added.append(ReturnPhoto(key=sizes["large"]["key"], sizes=sizes))
    except MediaError:
        discard(store(), written)
        raise ImageNotStored(ImageNotStored.message) from None
    request.photos.extend(added)
    db.session.flush()
    return added


def photo_urls(request: ReturnRequest, *, external: bool = False) -> list[str]:
    media = store()
    return [media.url(photo.key, external=external) for photo in request.photos]


def thumb_urls(request: ReturnRequest) -> list[str]:
    media = store()
    return [media.url(photo.sizes["thumb"]["key"]) for photo in request.photos]
