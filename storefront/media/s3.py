"""Media in an S3-compatible bucket (boto3), read by buyers from MEDIA_URL."""

from __future__ import annotations

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from . import MediaError


class S3Store:
    def __init__(self, client, bucket: str, public_url: str) -> None:
        self.client = client
        self.bucket = bucket
        self.public_url = public_url.rstrip("/")

    @classmethod
    def from_settings(cls, cfg) -> S3Store:
        client = boto3.client(
            "s3",
            endpoint_url=cfg.get("MEDIA_S3_ENDPOINT_URL") or None,
            region_name=cfg.get("MEDIA_S3_REGION") or None,
            # None leaves boto3 to its standard chain (AWS_* variables, profiles, roles)
            aws_access_key_id=cfg.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=cfg.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
        )
        return cls(client, cfg["MEDIA_S3_BUCKET"], cfg["MEDIA_URL"])

    def save(self, key: str, data: bytes, content_type: str) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentType=content_type,
                # keys are never reused (each upload has its own), so caches may keep them
                CacheControl="public, max-age=31536000, immutable",
            )
        except (BotoCoreError, ClientError) as error:
            raise MediaError(f"Could not write {key} to {self.bucket}: {error}") from error

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except (BotoCoreError, ClientError) as error:
            raise MediaError(f"Could not delete {key} from {self.bucket}: {error}") from error

    def url(self, key: str, *, external: bool = False) -> str:
        return f"{self.public_url}/{key}"
