"""Demo product pictures drawn as SVG: no photos to download, no licences to check."""

from __future__ import annotations

import math

from ..db import db
from ..media import save_in_transaction

# (highlight, body, shadow) per metal colour.
METAL_TONES: dict[str, tuple[str, str, str]] = {
    "silver": ("#fbfcfd", "#c4cad1", "#7f8891"),
    "platinum": ("#ffffff", "#d9dde2", "#9aa1a9"),
    "steel": ("#f1f3f5", "#a9b0b8", "#646d76"),
    "titanium": ("#e6e9ee", "#8e97a3", "#4f5864"),
    "gold": ("#fff4c9", "#e0b54c", "#a2741a"),
    "rich-gold": ("#ffeaa6", "#d29e26", "#86590b"),
    "brass": ("#fbf0b4", "#cdb04a", "#87702a"),
}
MATERIAL_METAL = {
    "sterling silver": "silver",
    "platinum": "platinum",
    "stainless steel": "steel",
    "titanium": "titanium",
    "gold vermeil": "gold",
    "14k gold": "gold",
    "18k gold": "rich-gold",
    "brass": "brass",
    "pearl": "gold",  # pearls are strung or set on gold-tone findings here
}
# Soft backgrounds (centre, edge) that flatter each family of metal.
BACKGROUNDS = {
    "cool": ("#f7f9fb", "#dfe6ec"),
    "warm": ("#fffaf1", "#f0e0c6"),
    "pearl": ("#fdf9f5", "#eadfd6"),
}
# (light, body) per stone.
STONES: dict[str, tuple[str, str]] = {
    "zirconia": ("#ffffff", "#cfe3f5"),
    "diamond": ("#ffffff", "#dbe9f7"),
    "garnet": ("#e0606f", "#7d1426"),
    "emerald": ("#7fe0b0", "#136b45"),
    "sapphire": ("#8fb0ff", "#1d3a96"),
    "amethyst": ("#d6b3f2", "#6a3c96"),
    "moonstone": ("#ffffff", "#c9d8ea"),
    "turquoise": ("#a6f0ea", "#2a9c98"),
    "onyx": ("#6b6b72", "#1c1c20"),
    "aquamarine": ("#d8fbff", "#6cc3d5"),
    "pearl": ("#ffffff", "#eee5da"),
}
KINDS = ("ring", "necklace", "earrings", "bracelet")
KIND_BY_CATEGORY = {
    "rings": "ring",
    "necklaces": "necklace",
    "earrings": "earrings",
    "bracelets": "bracelet",
}


def _defs(metal: str, background: str, stone: str | None) -> str:
    light, body, dark = METAL_TONES[metal]
    centre, edge = BACKGROUNDS[background]
    gem = ""
    if stone:
        gem_light, gem_body = STONES[stone]
        gem = (
            '<radialGradient id="gem" cx="38%" cy="32%" r="75%">'
            f'<stop offset="0" stop-color="{gem_light}"/>'
            f'<stop offset=".55" stop-color="{gem_body}"/>'
            f'<stop offset="1" stop-color="{gem_body}" stop-opacity=".85"/></radialGradient>'
        )
    return (
        "<defs>"
        '<radialGradient id="bg" cx="50%" cy="42%" r="70%">'
        f'<stop offset="0" stop-color="{centre}"/><stop offset="1" stop-color="{edge}"/>'
        "</radialGradient>"
        '<linearGradient id="metal" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{light}"/><stop offset=".45" stop-color="{body}"/>'
        f'<stop offset=".8" stop-color="{dark}"/><stop offset="1" stop-color="{body}"/>'
        f"</linearGradient>{gem}</defs>"
    )


def _gem(cx: float, cy: float, r: float, stone: str) -> str:
    """A round stone: pearls are smooth, cut stones get a table facet and a glint."""
    shape = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="url(#gem)"/>'
    if stone == "pearl":
        glint = (
            f'<ellipse cx="{cx - r * 0.35:.1f}" cy="{cy - r * 0.4:.1f}" rx="{r * 0.28:.1f}" '
            f'ry="{r * 0.18:.1f}" fill="#fff" opacity=".8"/>'
        )
        return shape + glint
    table = " ".join(
        f"{cx + r * 0.55 * math.cos(a):.1f},{cy + r * 0.55 * math.sin(a):.1f}"
        for a in (math.pi / 4 * k for k in range(8))
    )
    return (
        shape + f'<polygon points="{table}" fill="#fff" opacity=".22" stroke="#fff" '
        'stroke-opacity=".5" stroke-width="1.5"/>'
        + f'<circle cx="{cx - r * 0.3:.1f}" cy="{cy - r * 0.35:.1f}" r="{r * 0.14:.1f}" '
        'fill="#fff" opacity=".9"/>'
    )


def _shadow(cx: int, cy: int, rx: int) -> str:
    return f'<ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{rx // 8}" fill="#3b2f2a" opacity=".08"/>'


def _ring(stone: str | None) -> str:
    parts = [_shadow(300, 505, 170)]
    if stone:
        parts += [
            '<circle cx="300" cy="345" r="138" fill="none" stroke="url(#metal)" '
            'stroke-width="26"/>',
            # The crown setting: four claws rising from the band to hold the stone.
            '<path d="M258 222 L272 170 M342 222 L328 170 M280 226 L286 152 M320 226 L314 152" '
            'stroke="url(#metal)" stroke-width="9" stroke-linecap="round"/>',
            '<path d="M252 226 Q300 246 348 226 L336 206 Q300 220 264 206 Z" fill="url(#metal)"/>',
            _gem(300, 178, 46, stone),
        ]
    else:
        parts += [
            '<circle cx="300" cy="315" r="140" fill="none" stroke="url(#metal)" '
            'stroke-width="44"/>',
            '<circle cx="300" cy="315" r="158" fill="none" stroke="#fff" stroke-opacity=".45" '
            'stroke-width="3"/>',
            '<circle cx="300" cy="315" r="122" fill="none" stroke="#000" stroke-opacity=".12" '
            'stroke-width="3"/>',
        ]
    return "".join(parts)


def _necklace(stone: str | None) -> str:
    # The chain's lowest point (t=0.5 of the curve) is at (300, 270): the pendant hangs there.
    curve = "M110 80 C130 330 470 330 490 80"
    # A pearl strand: zero-length dashes with round caps draw a row of beads.
    chain = (
        f'<path d="{curve}" fill="none" stroke="#efe6da" stroke-width="18" '
        'stroke-linecap="round" stroke-dasharray="0 22"/>'
        f'<path d="{curve}" fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round" '
        'stroke-dasharray="0 22" transform="translate(-3 -3)" opacity=".8"/>'
        if stone == "pearl"
        else f'<path d="{curve}" fill="none" stroke="url(#metal)" stroke-width="7" '
        'stroke-linecap="round" stroke-dasharray="9 7"/>'
    )
    parts = [
        _shadow(300, 520, 150),
        chain,
        '<circle cx="300" cy="287" r="14" fill="none" stroke="url(#metal)" stroke-width="6"/>',
    ]
    if stone:
        parts += [
            '<path d="M300 300 C318 330 352 368 352 404 A52 52 0 0 1 248 404 '
            'C248 368 282 330 300 300 Z" fill="url(#metal)"/>',
            _gem(300, 404, 40, stone),
        ]
    else:
        parts += [
            '<circle cx="300" cy="352" r="50" fill="url(#metal)"/>',
            '<circle cx="300" cy="352" r="38" fill="none" stroke="#fff" stroke-opacity=".4" '
            'stroke-width="2"/>',
        ]
    return "".join(parts)


def _earrings(stone: str | None) -> str:
    parts = [_shadow(300, 520, 200)]
    for x in (200, 400):
        parts.append(
            f'<path d="M{x} 150 C{x} 104 {x - 48} 104 {x - 46} 148" fill="none" '
            'stroke="url(#metal)" stroke-width="6" stroke-linecap="round"/>'
        )
        if stone:
            parts += [
                f'<circle cx="{x}" cy="166" r="12" fill="none" stroke="url(#metal)" '
                'stroke-width="5"/>',
                f'<path d="M{x} 180 C{x + 14} 215 {x + 46} 262 {x + 46} 300 A46 46 0 0 1 '
                f'{x - 46} 300 C{x - 46} 262 {x - 14} 215 {x} 180 Z" fill="url(#metal)"/>',
                _gem(x, 300, 36, stone),
            ]
        else:
            parts.append(
                f'<circle cx="{x}" cy="250" r="86" fill="none" stroke="url(#metal)" '
                'stroke-width="16"/>'
            )
    return "".join(parts)


def _bracelet(stone: str | None) -> str:
    parts = [_shadow(300, 500, 210)]
    count = 20
    for k in range(count):
        t = 2 * math.pi * k / count
        x, y = 300 + 190 * math.cos(t), 300 + 125 * math.sin(t)
        # Each link lies along the chain: turn it to the ellipse's tangent.
        angle = math.degrees(math.atan2(125 * math.cos(t), -190 * math.sin(t)))
        if stone and k % 2:
            parts.append(_gem(x, y, 13, stone))
        else:
            parts.append(
                f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="24" ry="13" fill="none" '
                f'stroke="url(#metal)" stroke-width="7" transform="rotate({angle:.1f} {x:.1f} '
                f'{y:.1f})"/>'
            )
    parts.append(
        '<circle cx="300" cy="445" r="9" fill="none" stroke="url(#metal)" stroke-width="5"/>'
    )
    parts.append(
        _gem(300, 478, 24, stone)
        if stone
        else '<path d="M300 456 L322 480 L300 506 L278 480 Z" fill="url(#metal)"/>'
    )
    return "".join(parts)


_DRAW = {"ring": _ring, "necklace": _necklace, "earrings": _earrings, "bracelet": _bracelet}


def product_svg(kind: str, material: str, stone: str | None = None, title: str = "") -> str:
    """A 600x600 drawing of a piece of `kind`, coloured by its material."""
    metal = MATERIAL_METAL[material]
    if material == "pearl":
        stone, background = "pearl", "pearl"
    else:
        background = "warm" if metal in {"gold", "rich-gold", "brass"} else "cool"
    label = title or f"{material} {kind}"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 600" width="600" '
        f'height="600" role="img" aria-label="{_escape(label)}">'
        f"<title>{_escape(label)}</title>"
        + _defs(metal, background, stone)
        + '<rect width="600" height="600" fill="url(#bg)"/>'
        + _DRAW[kind](stone)
        + "</svg>\n"
    )


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def write_image(relative: str, svg: str) -> str:
    """Save `svg` in the shop's media store (the media folder, or the bucket of a shop on
    S3), tied to the seed's transaction; returns the filename ProductImage stores."""
    save_in_transaction(db.session, relative, svg.encode("utf-8"), "image/svg+xml")
    return relative


def shared_image(kind: str, material: str, written: set[str] | None = None) -> str:
    """One picture per kind and material, reused by bulk products instead of a file each."""
    relative = f"products/shared/{kind}-{material.replace(' ', '-')}.svg"
    if written is None or relative not in written:
        write_image(relative, product_svg(kind, material))
        if written is not None:
            written.add(relative)
    return relative
