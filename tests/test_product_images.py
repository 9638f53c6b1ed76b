"""Product images: uploaded on the product page and through the admin API, checked by
content, made upright and stripped of metadata, resized to the pages' sizes, shown by the
shop and the Store API, and never half-saved."""

from __future__ import annotations

import io
import os
import shutil
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.tables import User
from storefront.catalog.tables import ProductImage
from storefront.db import db
from storefront.media import EXTENSION, MediaError


def photo(width=1600, height=1200, fmt="JPEG", mode="RGB", exif=None) -> bytes:
    """A real image made here: left half red, right half blue (to see which way is up)."""
    image = Image.new(mode, (width, height), (220, 30, 30, 255)[: len(mode)])
    image.paste((20, 40, 220, 255)[: len(mode)], (width // 2, 0, width, height))
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(client, slug, data: bytes, name="photo.jpg", headers=None, alt="A silver ring"):
    return client.post(
        f"/api/v1/admin/products/{slug}/images",
        data={"file": (io.BytesIO(data), name), "alt": alt},
        content_type="multipart/form-data",
        headers=headers,
    )


def owner_headers(app, make_user) -> dict:
    make_user(email="owner@example.com", role="owner")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "owner@example.com"))
        _key, raw = issue_api_key(user)
        db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def clean_media_folder(app) -> str:
    """The session's media folder, without the uploads of earlier tests (slugs repeat)."""
    shutil.rmtree(os.path.join(app.config["MEDIA_FOLDER"], "products"), ignore_errors=True)
    return app.config["MEDIA_FOLDER"]


@pytest.fixture
def owner_key(app, make_user):
    return owner_headers(app, make_user)


@pytest.fixture(autouse=True)
def media_folder(app):
    return clean_media_folder(app)


def rows(app) -> list[ProductImage]:
    with app.app_context():
        return db.session.scalars(select(ProductImage).order_by(ProductImage.id)).all()


def files_under(folder: str, slug: str) -> list[str]:
    root = os.path.join(folder, "products", slug)
    return sorted(os.listdir(root)) if os.path.isdir(root) else []


def opened(folder: str, key: str) -> Image.Image:
    with open(os.path.join(folder, key), "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    image.load()
    return image


def test_an_upload_is_resized_to_the_pages_sizes_and_answers_its_urls(
    app, client, make_product, owner_key, media_folder
):
    slug = make_product()
    response = upload(client, slug, photo(1600, 1200), headers=owner_key)

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["alt"] == "A silver ring" and body["position"] == 0
    assert (body["width"], body["height"]) == (1600, 1200)
    assert set(body["urls"]) == {"thumb", "card", "large"}
    (image,) = rows(app)
    expected = {"thumb": (128, 96), "card": (600, 450), "large": (1200, 900)}
    for size, dimensions in expected.items():
        key = image.sizes[size]["key"]
        assert key.startswith(f"products/{slug}/{image.id}-") and key.endswith(f"-{size}.webp")
        assert body["urls"][size] == f"http://localhost/media/{key}"
        written = opened(media_folder, key)
        assert (written.format, written.mode, written.size) == ("WEBP", "RGB", dimensions)
        with client.get(f"/media/{key}") as served:
            assert served.status_code == 200 and served.data[8:12] == b"WEBP"
    assert image.filename == image.sizes["large"]["key"]


def test_a_phone_photo_is_turned_upright_and_loses_its_location(
    app, client, make_product, owner_key, media_folder
):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was held turned a quarter clockwise
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[2] = (48.0, 51.0, 24.0)  # latitude: where the seller lives
    gps[1] = "N"
    slug = make_product()
    response = upload(client, slug, photo(1600, 1200, exif=exif), headers=owner_key)

    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["width"], response.get_json()["height"]) == (1200, 1600)
    (image,) = rows(app)
    large = opened(media_folder, image.sizes["large"]["key"])
    assert large.size == (900, 1200)
    # turned: what was the left (red) edge is now the top
    assert large.getpixel((450, 20))[0] > 150 and large.getpixel((450, 1180))[2] > 150
    assert not large.getexif() and "exif" not in large.info and "icc_profile" not in large.info


def test_a_transparent_png_named_jpg_is_taken_by_its_content_on_white(
    app, client, make_product, owner_key, media_folder
):
    clear = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
    out = io.BytesIO()
    clear.save(out, "PNG")
    slug = make_product()
    response = upload(client, slug, out.getvalue(), name="wrong-extension.jpg", headers=owner_key)

    assert response.status_code == 201, response.get_json()
    (image,) = rows(app)
    card = opened(media_folder, image.sizes["card"]["key"])
    assert card.size == (600, 600) and card.getpixel((300, 300)) == (255, 255, 255)


def test_a_small_image_is_never_enlarged(app, client, make_product, owner_key, media_folder):
    slug = make_product()
    assert upload(client, slug, photo(500, 400, "WEBP"), headers=owner_key).status_code == 201
    (image,) = rows(app)
    assert opened(media_folder, image.sizes["large"]["key"]).size == (500, 400)
    assert opened(media_folder, image.sizes["card"]["key"]).size == (500, 400)
    assert opened(media_folder, image.sizes["thumb"]["key"]).size == (128, 102)


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (400, 400)).save(out, "GIF")
    return out.getvalue()


def _bomb() -> bytes:
    """A PNG whose header claims 30,000 by 30,000 pixels (2.7 GB decoded) in a few bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


REFUSED = {
    "a decompression bomb": (_bomb(), "bomb.png", "too many pixels"),
    "text named .jpg": (b"not a photo at all, just words", "photo.jpg", "not a JPEG, PNG or WebP"),
    "a GIF": (_gif(), "anim.gif", "GIF images are not taken"),
    "too small": (photo(400, 200), "small.jpg", "at least 300 on its short side"),
    "too long a side": (photo(8200, 300, "PNG"), "wide.png", "at most 8000 on its long side"),
    "cut short": (photo()[:2000], "half.jpg", "damaged or incomplete"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_the_shop_does_not_take_is_refused_naming_the_field(
    app, client, make_product, owner_key, media_folder, case
):
    data, name, message = REFUSED[case]
    slug = make_product()
    response = upload(client, slug, data, name=name, headers=owner_key)

    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["field"] == "file" and message in error["message"]
    assert rows(app) == [] and files_under(media_folder, slug) == []


def test_a_cut_short_file_is_refused_after_a_pdf_was_printed(
    app, client, make_product, owner_key, media_folder
):
    """Printing a PDF loads WeasyPrint, which once told Pillow to take cut-short images."""
    from storefront.documents.render import render_pdf

    assert render_pdf("<p>Packing list</p>").startswith(b"%PDF")
    data, name, message = REFUSED["cut short"]
    response = upload(client, make_product(), data, name=name, headers=owner_key)
    assert response.status_code == 422, response.get_json()
    assert message in response.get_json()["error"]["message"]


def test_limits_come_from_the_settings(app, client, make_product, owner_key, monkeypatch):
    slug = make_product()
    monkeypatch.setitem(app.config, "IMAGE_MAX_PIXELS", 1_000_000)
    response = upload(client, slug, photo(1600, 1200), headers=owner_key)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "image_too_large"
    monkeypatch.setitem(app.config, "IMAGE_MAX_BYTES", 5_000)
    response = upload(client, slug, photo(1600, 1200), headers=owner_key)
    assert response.status_code == 422
    assert response.get_json()["error"] == {
        "code": "file_too_large",
        "message": "The file is larger than 0.00476837 MB.",
        "field": "file",
    }
    assert rows(app) == []


def test_a_body_over_max_content_length_answers_422_naming_the_file(
    app, client, make_product, owner_key, monkeypatch
):
    slug = make_product()
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4_000)
    response = upload(client, slug, photo(1600, 1200), headers=owner_key)

    assert response.status_code == 422 and response.is_json
    assert response.get_json()["error"]["field"] == "file"
    assert "larger than" in response.get_json()["error"]["message"]


def test_a_request_without_the_file_is_a_bad_request(client, make_product, owner_key):
    slug = make_product()
    response = client.post(
        f"/api/v1/admin/products/{slug}/images",
        data={"alt": "no file"},
        content_type="multipart/form-data",
        headers=owner_key,
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "file"


def test_the_shop_pages_and_the_store_api_show_the_sizes(
    app, client, make_product, make_channel, rates, owner_key
):
    make_channel("us")
    rates()
    slug = make_product()
    upload(client, slug, photo(1600, 1200), headers=owner_key)
    (image,) = rows(app)
    url = {size: f"/media/{value['key']}" for size, value in image.sizes.items()}

    page = client.get(f"/p/{slug}").get_data(as_text=True)
    assert f'src="{url["large"]}"' in page
    assert f"{url['thumb']} 128w, {url['card']} 600w, {url['large']} 1200w" in page
    listing = client.get("/").get_data(as_text=True)
    assert f'src="{url["card"]}"' in listing and 'sizes="300px"' in listing

    product = client.get(f"/api/v1/products/{slug}").get_json()
    assert product["images"] == [f"http://localhost{url['large']}"]
    assert product["gallery"] == [
        {
            "url": f"http://localhost{url['large']}",
            "alt": "A silver ring",
            "width": 1600,
            "height": 1200,
            "sizes": {size: f"http://localhost{u}" for size, u in url.items()},
        }
    ]
    (summary,) = client.get("/api/v1/products").get_json()["items"]
    assert summary["image_url"] == f"http://localhost{url['large']}"
    assert summary["image_sizes"]["card"] == f"http://localhost{url['card']}"

    client.post("/cart/add", data={"sku": f"{slug.upper()}-0", "quantity": "1"})
    cart = client.get("/cart").get_data(as_text=True)
    assert f'src="{url["thumb"]}"' in cart and 'sizes="64px"' in cart


def test_the_answers_match_the_openapi_document(
    app, client, make_product, make_channel, rates, owner_key
):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    make_channel("us")
    rates()
    slug = make_product()
    doc = client.get("/api/openapi.json").get_json()
    registry = Registry().with_resource("urn:api", Resource.opaque(doc))

    def check(name: str, body: dict) -> None:
        schema = {"$ref": f"urn:api#/components/schemas/{name}"}
        validator = Draft202012Validator(schema, registry=registry)
        assert not list(validator.iter_errors(body)), body

    upload_doc = doc["paths"]["/api/v1/admin/products/{slug}/images"]["post"]
    assert "multipart/form-data" in upload_doc["requestBody"]["content"]
    assert {"201", "400", "404", "422"} <= set(upload_doc["responses"])
    check("AdminImage", upload(client, slug, photo(), headers=owner_key).get_json())
    check("Product", client.get(f"/api/v1/products/{slug}").get_json())
    check("ProductPage", client.get("/api/v1/products").get_json())


def test_the_demos_drawings_are_shown_as_before(
    app, client, make_product, make_channel, rates, media_folder
):
    make_channel("us")
    rates()
    with open(os.path.join(media_folder, "ring.svg"), "w") as out:
        out.write('<svg xmlns="http://www.w3.org/2000/svg"/>')
    slug = make_product(images=[("ring.svg", "A ring")])

    page = client.get(f"/p/{slug}").get_data(as_text=True)
    assert 'src="/media/ring.svg"' in page and "srcset" not in page
    product = client.get(f"/api/v1/products/{slug}").get_json()
    assert product["images"] == ["http://localhost/media/ring.svg"]
    assert product["gallery"][0]["sizes"] == {}


def test_deleting_an_image_removes_its_row_and_files(
    app, client, make_product, owner_key, media_folder
):
    slug = make_product()
    first = upload(client, slug, photo(), headers=owner_key).get_json()
    second = upload(client, slug, photo(), headers=owner_key).get_json()
    assert second["position"] == 1
    assert len(files_under(media_folder, slug)) == 6

    response = client.delete(
        f"/api/v1/admin/products/{slug}/images/{first['id']}", headers=owner_key
    )
    assert response.status_code == 204
    assert [i.id for i in rows(app)] == [second["id"]]
    assert all(name.startswith(f"{second['id']}-") for name in files_under(media_folder, slug))
    assert len(files_under(media_folder, slug)) == 3
    again = client.delete(f"/api/v1/admin/products/{slug}/images/{first['id']}", headers=owner_key)
    assert again.status_code == 404


class FailingStore:
    """The real store, until the `fail_on`-th write."""

    def __init__(self, real, fail_on: int):
        self.real, self.fail_on, self.saves = real, fail_on, 0

    def save(self, key, data, content_type):
        self.saves += 1
        if self.saves == self.fail_on:
            raise MediaError("disk full")
        self.real.save(key, data, content_type)

    def delete(self, key):
        self.real.delete(key)

    def url(self, key, *, external=False):
        return self.real.url(key, external=external)


def test_a_failed_write_leaves_no_row_and_no_file(
    app, client, make_product, owner_key, media_folder, monkeypatch
):
    slug = make_product()
    monkeypatch.setitem(app.extensions, EXTENSION, FailingStore(app.extensions[EXTENSION], 3))
    response = upload(client, slug, photo(), headers=owner_key)

    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "media_unavailable"
    assert rows(app) == [] and files_under(media_folder, slug) == []


def test_files_written_by_a_transaction_that_does_not_commit_are_removed(
    app, make_product, media_folder
):
    from storefront.catalog.images import add_image
    from storefront.catalog.queries import product_by_slug

    slug = make_product()
    with app.app_context():
        add_image(product_by_slug(slug), io.BytesIO(photo()), "p.jpg")
        assert len(files_under(media_folder, slug)) == 3
        db.session.rollback()
    assert files_under(media_folder, slug) == [] and rows(app) == []


def test_an_agent_uploads_only_to_its_own_brands(
    app, client, make_product, make_agent, make_user, media_folder
):
    from test_after_payment import api_key

    make_agent("milano-agency", brands=("aurora",))
    own = make_product(brand="aurora")
    other = make_product(brand="nordic")
    headers = api_key(app, make_user, "agent@milano.example", "agent", agent="milano-agency")

    refused = upload(client, other, photo(), headers=headers)
    assert refused.status_code == 404 and rows(app) == []
    assert files_under(media_folder, other) == []
    assert upload(client, own, photo(), headers=headers).status_code == 201
    (image,) = rows(app)
    gone = client.delete(f"/api/v1/admin/products/{other}/images/{image.id}", headers=headers)
    assert gone.status_code == 404 and len(rows(app)) == 1


def test_the_product_page_uploads_and_removes_after_a_tick(
    app, logged_in, make_product, media_folder
):
    client = logged_in("owner")
    slug = make_product()
    sent = client.post(
        f"/admin/products/{slug}/images",
        data={"file": (io.BytesIO(photo()), "ring.jpg"), "alt": "On a hand"},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303
    page = client.get(f"/admin/products/{slug}").get_data(as_text=True)
    assert "Image added." in page and "On a hand" in page and "1600×1200" in page
    (image,) = rows(app)
    assert f'src="/media/{image.sizes["thumb"]["key"]}"' in page

    refused = client.post(
        f"/admin/products/{slug}/images",
        data={"file": (io.BytesIO(b"GIF89a not really"), "x.gif")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "not a JPEG, PNG or WebP image" in refused.get_data(as_text=True)
    assert len(rows(app)) == 1

    remove = f"/admin/products/{slug}/images/{image.id}/remove"
    unticked = client.post(remove, data={}, follow_redirects=True)
    assert "Tick the box" in unticked.get_data(as_text=True) and len(rows(app)) == 1
    assert client.post(remove, data={"confirm": "y"}).status_code == 303
    assert rows(app) == [] and files_under(media_folder, slug) == []


def test_files_shared_with_a_relisted_copy_stay_until_the_last_image_goes(
    app, client, make_product, owner_key, media_folder
):
    from storefront.catalog.images import remove_image

    slug = make_product()
    upload(client, slug, photo(), headers=owner_key)
    (original,) = rows(app)
    copy_slug = make_product(images=[(original.filename, "copy")])
    with app.app_context():
        (copy,) = db.session.scalars(select(ProductImage).where(ProductImage.id != original.id))
        copy.sizes = original.sizes  # as production's surplus relisting copies it
        copy_id = copy.id
        db.session.commit()
        remove_image(db.session.get(ProductImage, original.id))
        db.session.commit()
    assert len(files_under(media_folder, slug)) == 3
    assert f"{original.sizes['card']['key']} 600w" in client.get(f"/p/{copy_slug}").get_data(
        as_text=True
    )
    with app.app_context():
        remove_image(db.session.get(ProductImage, copy_id))
        db.session.commit()
    assert files_under(media_folder, slug) == []
