"""Product images in an S3-compatible bucket: moto's S3 server on 127.0.0.1 stands in for
it; the objects land in the bucket and the URLs point at the public base (MEDIA_URL)."""

from __future__ import annotations

import os

import pytest
from moto.server import ThreadedMotoServer

from storefront.config import ConfigError
from storefront.media import EXTENSION, build_store
from test_product_images import clean_media_folder, files_under, owner_headers, photo, upload

PUBLIC = "https://cdn.example.com/shop-media"
BUCKET = "shop-media"
CREDENTIALS = {"MEDIA_S3_ACCESS_KEY_ID": "testing", "MEDIA_S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, app, monkeypatch):
    """The shop's media store pointed at a fresh bucket; the bucket's client to look in."""
    settings = {
        "MEDIA_FOLDER": app.config["MEDIA_FOLDER"],
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": s3_endpoint,
        "MEDIA_S3_REGION": "eu-central-1",
        "MEDIA_URL": PUBLIC + "/",
        **CREDENTIALS,
    }
    store = build_store(settings)
    store.client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    monkeypatch.setitem(app.extensions, EXTENSION, store)
    yield store.client
    for item in store.client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        store.client.delete_object(Bucket=BUCKET, Key=item["Key"])
    store.client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def owner_key(app, make_user):
    return owner_headers(app, make_user)


@pytest.fixture(autouse=True)
def media_folder(app):
    return clean_media_folder(app)


def keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_uploads_land_in_the_bucket_and_link_to_the_public_base(
    app, client, make_product, make_channel, rates, bucket, media_folder, owner_key
):
    make_channel("us")
    rates()
    slug = make_product()
    response = upload(client, slug, photo(1600, 1200), headers=owner_key)
    assert response.status_code == 201, response.get_json()
    urls = response.get_json()["urls"]
    stored = keys(bucket)
    assert len(stored) == 3 and all(k.startswith(f"products/{slug}/") for k in stored)
    assert sorted(urls.values()) == sorted(f"{PUBLIC}/{k}" for k in stored)
    head = bucket.head_object(Bucket=BUCKET, Key=stored[0])
    assert head["ContentType"] == "image/webp" and "immutable" in head["CacheControl"]
    assert files_under(media_folder, slug) == []  # nothing on this machine's disk

    page = client.get(f"/p/{slug}").get_data(as_text=True)
    assert f'src="{urls["large"]}"' in page and f"{urls['card']} 600w" in page
    api = client.get(f"/api/v1/products/{slug}").get_json()
    assert api["images"] == [urls["large"]]

    image_id = response.get_json()["id"]
    deleted = client.delete(f"/api/v1/admin/products/{slug}/images/{image_id}", headers=owner_key)
    assert deleted.status_code == 204 and keys(bucket) == []


def test_a_refused_file_leaves_the_bucket_empty(app, client, make_product, bucket, owner_key):
    slug = make_product()
    response = upload(client, slug, b"plain text", headers=owner_key)
    assert response.status_code == 422 and keys(bucket) == []


def test_a_bucket_without_a_public_address_stops_start_up(app):
    with pytest.raises(ConfigError, match="MEDIA_URL"):
        build_store({"MEDIA_FOLDER": app.config["MEDIA_FOLDER"], "MEDIA_S3_BUCKET": BUCKET})


def test_the_demo_seed_draws_its_pictures_into_the_bucket(app, runner, client, bucket):
    """A shop on S3 seeded with the demo: its drawings are in the bucket, not on this disk,
    and the pages link to them there."""
    assert runner.invoke(args=["shop", "seed-demo"]).exit_code == 0
    stored = keys(bucket)
    assert "products/classic-solitaire-ring.svg" in stored
    head = bucket.head_object(Bucket=BUCKET, Key="products/classic-solitaire-ring.svg")
    assert head["ContentType"] == "image/svg+xml"
    page = client.get("/p/classic-solitaire-ring?channel=us").get_data(as_text=True)
    assert f"{PUBLIC}/products/classic-solitaire-ring.svg" in page
    on_disk = os.path.join(app.config["MEDIA_FOLDER"], "products", "classic-solitaire-ring.svg")
    assert not os.path.exists(on_disk)
