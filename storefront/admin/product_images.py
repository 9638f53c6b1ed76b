"""The Images section of the back-office product page: upload (file and alt text) and
remove (after a confirming tick), for the products the user's brands include."""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from ..catalog.images import ImageNotStored, add_image, remove_image, too_large
from ..catalog.operations import CatalogError
from ..catalog.tables import ProductImage
from ..db import db
from ..errors import flash_refusal
from ..mount import url_for
from . import bp
from .products import _visible_product
from .scope import scoped_view


class ImageUploadForm(FlaskForm):
    file = FileField("Photo (JPEG, PNG or WebP)")
    alt = StringField("Alt text (what the photo shows)", validators=[Length(max=200)])


class ImageRemoveForm(FlaskForm):
    confirm = BooleanField(
        "Remove this image",
        validators=[DataRequired(message="Tick the box to confirm removing the image.")],
    )


def _back(slug: str):
    return redirect(url_for("admin.edit_product", slug=slug) + "#images", 303)


@bp.post("/products/<slug>/images")
@scoped_view
def upload_product_image(slug: str):
    product = _visible_product(slug)
    try:
        form = ImageUploadForm()
        valid = form.validate()
        upload = form.file.data
    except RequestEntityTooLarge:
        flash(too_large().message, "error")
        return _back(slug)
    if not valid:
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return _back(slug)
    if upload is None or not upload.filename:
        flash("Choose a photo to upload.", "error")
        return _back(slug)
    try:
        add_image(product, upload.stream, upload.filename, form.alt.data or "")
    except CatalogError as error:
        flash_refusal(error)
        return _back(slug)
    except ImageNotStored as error:
        db.session.rollback()
        flash(error.message, "error")
        return _back(slug)
    db.session.commit()
    flash("Image added.", "success")
    return _back(slug)


@bp.post("/products/<slug>/images/<int:image_id>/remove")
@scoped_view
def remove_product_image(slug: str, image_id: int):
    product = _visible_product(slug)
    image = db.session.get(ProductImage, image_id)
    if image is None or image.product_id != product.id:
        abort(404)
    form = ImageRemoveForm()
    if not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return _back(slug)
    remove_image(image)
    db.session.commit()
    flash("Image removed.", "success")
    return _back(slug)
