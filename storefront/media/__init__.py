"""Where uploaded files live: a folder on this machine (the default, served by the shop's
`media` route) or an S3-compatible bucket, for shops that run several app servers.

One narrow interface (`MediaStore`: save, delete, url), two small implementations, chosen
once from the settings at start-up. Writes made inside a database transaction are tied to
it: files written by a transaction that does not commit are removed, and files dropped by
one are deleted only once it has committed (`save_in_transaction`, `delete_after_commit`).
"""

from __future__ import annotations

from typing import Protocol

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from ..config import ConfigError
from ..db import db
from ..mount import ShopSetup

DEFAULTS = {
    # Set: product images go to this S3 bucket (boto3, `pip install storefront[s3]`).
    "MEDIA_S3_BUCKET": None,
    # An S3-compatible service's address (MinIO, R2, Spaces...); None: AWS itself.
    "MEDIA_S3_ENDPOINT_URL": None,
    "MEDIA_S3_REGION": None,
    # None: boto3's own chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, roles).
    "MEDIA_S3_ACCESS_KEY_ID": None,
    "MEDIA_S3_SECRET_ACCESS_KEY": None,
    # The public address the bucket's files are read from (a CDN or the bucket's URL).
    "MEDIA_URL": None,
}

EXTENSION = "storefront.media"


class MediaError(RuntimeError):
    """A file could not be written or deleted (disk full, bucket unreachable)."""


class MediaStore(Protocol):
    def save(self, key: str, data: bytes, content_type: str) -> None: ...

    def delete(self, key: str) -> None: ...

    def url(self, key: str, *, external: bool = False) -> str: ...


def init_app(app: ShopSetup) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.extensions[EXTENSION] = build_store(app.config)


def build_store(cfg) -> MediaStore:
    """The store the settings ask for: a bucket when MEDIA_S3_BUCKET is set, else the folder."""
    if not cfg.get("MEDIA_S3_BUCKET"):
        from .local import LocalStore

        return LocalStore(cfg["MEDIA_FOLDER"])
    if not cfg.get("MEDIA_URL"):
        raise ConfigError(
            "MEDIA_S3_BUCKET is set but MEDIA_URL is not: set STOREFRONT_MEDIA_URL to the "
            "public address the bucket's files are read from (e.g. https://cdn.example.com)."
        )
    try:
        from .s3 import S3Store
    except ImportError:
        raise ConfigError(
            "MEDIA_S3_BUCKET is set but boto3 is not installed: pip install 'storefront[s3]'."
        ) from None
    return S3Store.from_settings(cfg)


def store() -> MediaStore:
    """The shop's media store in the current app."""
    return current_app.extensions[EXTENSION]


_WRITTEN = "media_written"  # (store, key) written in the open transaction
_DROPPED = "media_dropped"  # (store, key) to delete once it commits


def save_in_transaction(session: Session, key: str, data: bytes, content_type: str) -> None:
    """Write a file that belongs to rows of the session's open transaction: removed again
    if the transaction ends without committing."""
    media = store()
    media.save(key, data, content_type)
    session.info.setdefault(_WRITTEN, []).append((media, key))


def delete_after_commit(session: Session, keys: list[str]) -> None:
    """Delete files once the rows that name them are gone for good (a rollback keeps both)."""
    media = store()
    session.info.setdefault(_DROPPED, []).extend((media, key) for key in keys)


def discard(media: MediaStore, keys: list[str]) -> None:
    """Delete files now, as far as the store lets us: a file left over is only wasted space."""
    for key in keys:
        try:
            media.delete(key)
        except MediaError:
            continue


def _delete_pending(session: Session, name: str) -> None:
    for media, key in session.info.pop(name, []):
        discard(media, [key])


@event.listens_for(db.session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    _delete_pending(session, _DROPPED)


@event.listens_for(db.session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outer transaction ended without a commit
        session.info.pop(_DROPPED, None)
        _delete_pending(session, _WRITTEN)
