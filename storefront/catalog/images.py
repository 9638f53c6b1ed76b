"""Product images uploaded by staff and agents: checked, made upright and stripped of their
metadata, resized to the sizes the pages use, and written to the media store.

The file is judged by its content, never its name: JPEG, PNG or WebP, within a byte limit,
at least IMAGE_MIN_SIDE pixels on its short side and at most IMAGE_MAX_SIDE on its long one
(and IMAGE_MAX_PIXELS in all, read from the header before any pixel is decoded, so a small
file that unpacks to gigabytes is refused unopened). Nothing is half-saved: a failed write
removes the files already written and the row. Returns' photos are checked and resized by
the same public steps (`read_upload`, `opened`, `upright_rgb`, `encoded`).
"""

from __future__ import annotations

import io
import secrets
import warnings
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from ..config import settings
from ..db import db
from ..media import MediaError, delete_after_commit, discard, save_in_transaction, store
from .operations import CatalogError
from .tables import Product, ProductImage

DEFAULTS = {
    "IMAGE_MAX_BYTES": 10 * 1024 * 1024,
    "IMAGE_MIN_SIDE": 300,
    "IMAGE_MAX_SIDE": 8000,
    "IMAGE_MAX_PIXELS": 50_000_000,
}
# The sizes the pages use, by their long side: the cart's thumbnail (64 px at 2x), the
# listing's card (300 px at 2x), the product page (600 px at 2x).
SIZES = {"thumb": 128, "card": 600, "large": 1200}
FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}  # MPO: the JPEG phone cameras write
CONTENT_TYPE = "image/webp"
EXTENSION = "webp"


class ImageRefused(CatalogError):
    """The uploaded file is not an image the shop takes; `field` is the form's `file`."""

    code = "invalid_image"
    status = 422


class ImageNotStored(RuntimeError):
    """The media store did not take the files (not the uploader's fault); nothing was kept."""

    message = "The image could not be stored just now; nothing was saved. Try again."


def _refuse(message: str, code: str = "invalid_image") -> ImageRefused:
    return ImageRefused(message, code, field="file")


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def read_upload(stream: BinaryIO) -> bytes:
    """The upload's bytes, reading no more than one past the limit."""
    limit = settings()["IMAGE_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large()
    if not data:
        raise _refuse("The file is empty: choose a JPEG, PNG or WebP photo.", "empty_file")
    return data


def too_large() -> ImageRefused:
    limit = settings()["IMAGE_MAX_BYTES"]
    return _refuse(f"The file is larger than {_megabytes(limit)}.", "file_too_large")


def opened(data: bytes) -> Image.Image:
    """The upload as an image the shop takes (by content, size and pixels), not yet decoded;
    ImageRefused (field `file`, a `code` per problem) otherwise."""
    cfg = settings()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.open(io.BytesIO(data)).verify()  # the file's structure, without decoding
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            f"The image has too many pixels: at most {cfg['IMAGE_MAX_PIXELS'] // 1_000_000} "
            "megapixels, please.",
            "image_too_large",
        ) from None
    except UnidentifiedImageError:
        raise _refuse("The file is not a JPEG, PNG or WebP image.") from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse("The image file is damaged or incomplete.") from None
    if image.format not in FORMATS:
        raise _refuse(f"{image.format} images are not taken: upload a JPEG, PNG or WebP.")
    width, height = image.size
    if max(width, height) > cfg["IMAGE_MAX_SIDE"] or width * height > cfg["IMAGE_MAX_PIXELS"]:
        raise _refuse(
            f"The image is {width}×{height} pixels: at most {cfg['IMAGE_MAX_SIDE']} on its "
            f"long side and {cfg['IMAGE_MAX_PIXELS'] // 1_000_000} megapixels, please.",
            "image_too_large",
        )
    if min(width, height) < cfg["IMAGE_MIN_SIDE"]:
        raise _refuse(
            f"The image is {width}×{height} pixels: at least {cfg['IMAGE_MIN_SIDE']} on its "
            "short side, please, so it stays sharp on the product page.",
            "image_too_small",
        )
    return image


def upright_rgb(image: Image.Image) -> Image.Image:
    """Decoded, turned the way the camera was held, in sRGB, on white where transparent."""
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError):
        raise _refuse("The image file is damaged or incomplete.") from None
    icc = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    image = image.convert("RGB")
    if icc:  # a camera's wide-gamut profile, turned into the sRGB browsers assume
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"))
        except (ImageCms.PyCMSError, OSError):
            pass
    return image


def encoded(image: Image.Image, long_side: int) -> tuple[bytes, int, int]:
    """WebP of the image at most `long_side` pixels long, without any metadata."""
    resized = image.copy()
    resized.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)  # never enlarges
    resized.info = {}  # no EXIF (GPS, camera serial), no profile: nothing but pixels
    out = io.BytesIO()
    resized.save(out, "WEBP", quality=85, method=4)
    return out.getvalue(), resized.width, resized.height


def add_image(
    product: Product, stream: BinaryIO, filename: str = "", alt: str = ""
) -> ProductImage:
    """Check the upload, write its sizes and add it as the product's last image (flushed).
    `filename` is the uploader's name for the file, unused: the content decides.
    Raises ImageRefused (field `file`) for a file the shop does not take, ImageNotStored
    when the store fails; either way no row and no file is left."""
    alt = (alt or "").strip()
    if len(alt) > 200:
        raise CatalogError("Keep the alt text under 200 characters.", field="alt")
    image = upright_rgb(opened(read_upload(stream)))
    sized = {name: encoded(image, side) for name, side in SIZES.items()}
    position = db.session.scalar(
        select(func.coalesce(func.max(ProductImage.position) + 1, 0)).where(
            ProductImage.product_id == product.id
        )
    )
    row = ProductImage(
        product=product,
        filename="",
        alt=alt,
        position=position,
        width=image.width,
        height=image.height,
    )
    db.session.add(row)
    db.session.flush()
    token = secrets.token_hex(4)  # ids can come back on SQLite; cached URLs must not
    sizes, written = {}, []
    try:
        for name, (data, width, height) in sized.items():
            key = f"products/{product.slug}/{row.id}-{token}-{name}.{EXTENSION}"
            save_in_transaction(db.session, key, data, CONTENT_TYPE)
            written.append(key)
            sizes[name] = {"key": key, "width": width, "height": height}
    except MediaError:
        discard(store(), written)
        product.images.remove(row)  # an orphan: deleted by the flush
        db.session.flush()
        raise ImageNotStored(ImageNotStored.message) from None
    row.sizes = sizes
    row.filename = sizes["large"]["key"]
    db.session.flush()
    return row


def remove_image(image: ProductImage) -> None:
    """Delete the image (flushed); its files go once the deletion is committed, unless
    another product's image shows the same files (a surplus relisting copies its photos)."""
    keys = [size["key"] for size in (image.sizes or {}).values()]
    shared = db.session.scalar(
        select(func.count(ProductImage.id)).where(
            ProductImage.filename == image.filename, ProductImage.id != image.id
        )
    )
    image.product.images.remove(image)  # an orphan: deleted by the flush
    db.session.flush()
    if not shared:
        delete_after_commit(db.session, keys)


def image_urls(image_sizes: dict | None, *, external: bool = False) -> dict[str, str]:
    """{size: URL} of an upload's files; {} for an image without sizes."""
    media = store()
    return {
        name: media.url(size["key"], external=external)
        for name, size in (image_sizes or {}).items()
    }


def image_url(
    filename: str | None, image_sizes: dict | None, size: str = "large", *, external=False
) -> str | None:
    """The URL of one size of an image; an image without sizes (the demo's drawings) is the
    file itself, in the same media store."""
    if image_sizes and size in image_sizes:
        return store().url(image_sizes[size]["key"], external=external)
    if not filename:
        return None
    return store().url(filename, external=external)


def srcset(image_sizes: dict | None) -> str:
    """`<img srcset>` of an upload's sizes ("URL 128w, URL 600w, ..."); "" without sizes."""
    media = store()
    return ", ".join(
        f"{media.url(size['key'])} {size['width']}w"
        for size in sorted((image_sizes or {}).values(), key=lambda s: s["width"])
    )
