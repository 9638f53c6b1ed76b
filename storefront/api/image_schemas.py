"""JSON schemas of product images (the buyers' gallery and the admin upload), for the
OpenAPI document."""

from __future__ import annotations

from .schemas import _object, ref

_url = {"type": "string", "format": "uri"}
_int_or_null = {"type": ["integer", "null"]}

IMAGE_SCHEMAS: dict[str, dict] = {
    "ImageSizes": {
        "type": "object",
        "description": "An uploaded image's sizes, by name (thumb: 128 px on the long side, "
        "card: 600, large: 1200; never enlarged); {} for an image without sizes",
        "properties": {"thumb": _url, "card": _url, "large": _url},
        "additionalProperties": False,
    },
    "GalleryImage": _object(
        {
            "url": _url,
            "alt": {"type": "string"},
            "width": _int_or_null,
            "height": _int_or_null,
            "sizes": ref("ImageSizes"),
        }
    ),
    "ImageUpload": _object(
        {
            "file": {
                "type": "string",
                "format": "binary",
                "description": "A JPEG, PNG or WebP photo (by content), at most 10 MB, 300 "
                "to 8000 px a side",
            },
            "alt": {"type": "string", "description": "Text for buyers who cannot see it"},
        },
        required=["file"],
    ),
    "AdminImage": _object(
        {
            "id": {"type": "integer"},
            "alt": {"type": "string"},
            "position": {"type": "integer"},
            "width": {"type": "integer"},
            "height": {"type": "integer"},
            "urls": _object({"thumb": _url, "card": _url, "large": _url}),
        }
    ),
}
