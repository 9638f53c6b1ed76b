"""Product images through the admin API: upload (multipart/form-data, field `file`) and
delete; an agent only for the brands entrusted to it. English, as the back office."""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..catalog.images import ImageNotStored, add_image, image_urls, remove_image, too_large
from ..catalog.tables import Product, ProductImage
from ..config import settings
from ..db import db
from ..errors import error_response
from .admin import caller_product
from .errors import ApiError
from .spec import operation
from .views import bp

# Room for the multipart envelope and the alt text around a file at the byte limit.
MULTIPART_OVERHEAD = 64 * 1024


def _product(slug: str) -> Product:
    return caller_product(slug)[2]


def _image_json(image: ProductImage) -> dict:
    return {
        "id": image.id,
        "alt": image.alt,
        "position": image.position,
        "width": image.width,
        "height": image.height,
        "urls": image_urls(image.sizes, external=True),
    }


def _body_limit() -> int:
    """What this route reads at most: the image limit and its envelope, or less when the
    app's MAX_CONTENT_LENGTH says so."""
    own = settings()["IMAGE_MAX_BYTES"] + MULTIPART_OVERHEAD
    app_limit = request.max_content_length
    return min(own, app_limit) if app_limit is not None else own


@bp.post("/admin/products/<slug>/images")
@operation(
    "Upload a product image (multipart/form-data: `file`, optional `alt`): checked by "
    "content, resized to the sizes the pages use; an agent only for its brands",
    tags=["back office"],
    body="ImageUpload",
    body_type="multipart/form-data",
    response="AdminImage",
    errors=(400, 401, 403, 404, 422, 503),
    security="bearer",
    status=201,
)
def admin_upload_image(slug: str):
    product = _product(slug)
    request.max_content_length = _body_limit()
    try:
        upload = request.files.get("file")
        alt = request.form.get("alt", "")
    except RequestEntityTooLarge:
        raise too_large() from None
    if upload is None or not upload.filename:
        raise ApiError(
            400, "missing_file", "Send the image as multipart/form-data in field `file`.", "file"
        )
    try:
        image = add_image(product, upload.stream, upload.filename, alt)
    except ImageNotStored as error:
        db.session.rollback()
        return error_response(503, "media_unavailable", error.message, "file")
    db.session.commit()
    return jsonify(_image_json(image)), 201


@bp.delete("/admin/products/<slug>/images/<int:image_id>")
@operation(
    "Delete a product image and its files",
    tags=["back office"],
    errors=(401, 403, 404),
    security="bearer",
    status=204,
)
def admin_delete_image(slug: str, image_id: int):
    product = _product(slug)
    image = db.session.get(ProductImage, image_id)
    if image is None or image.product_id != product.id:
        raise ApiError(404, "image_not_found", f"{slug} has no image {image_id}.", "image_id")
    remove_image(image)
    db.session.commit()
    return "", 204
