"""Demo pictures drawn locally with Pillow (no downloads): a landscape in a palette."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTES = {
    "mountain": ((94, 140, 186), (214, 231, 240), (46, 94, 62), (88, 132, 80)),
    "river": ((120, 170, 210), (230, 240, 245), (60, 110, 70), (70, 130, 170)),
    "city": ((240, 170, 110), (250, 225, 190), (90, 90, 110), (150, 150, 170)),
    "border": ((150, 190, 220), (235, 240, 245), (70, 100, 60), (180, 40, 40)),
    "festival": ((200, 60, 60), (250, 200, 120), (120, 40, 90), (240, 180, 40)),
    "meeting": ((60, 80, 120), (200, 210, 230), (140, 30, 30), (230, 230, 230)),
    "farm": ((150, 200, 230), (240, 245, 220), (90, 150, 60), (170, 200, 70)),
    "forest": ((110, 160, 150), (210, 230, 215), (30, 80, 50), (60, 120, 70)),
    "market": ((230, 150, 90), (250, 230, 200), (160, 70, 50), (70, 120, 160)),
    "school": ((120, 180, 230), (240, 245, 250), (200, 120, 40), (60, 130, 80)),
}


def draw_picture(palette: str, seed: int, size: tuple[int, int] = (1280, 720)) -> bytes:
    """A JPEG landscape: sky gradient, layered hills, and a palette-specific foreground."""
    sky_top, sky_bottom, hill_far, accent = PALETTES.get(palette, PALETTES["mountain"])
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, sky_bottom)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(a + (b - a) * t) for a, b in zip(sky_top, sky_bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    draw.ellipse(
        [width * 0.72, height * 0.1, width * 0.72 + 90, height * 0.1 + 90], fill=(255, 240, 200)
    )
    for layer in range(3):
        base = height * (0.45 + 0.15 * layer)
        shade = tuple(max(0, c - 25 * layer) for c in hill_far)
        points = [(0, height)]
        x = 0
        while x <= width:
            points.append((x, base - rng.randint(20, 160) / (layer + 1)))
            x += rng.randint(80, 200)
        points += [(width, base), (width, height)]
        draw.polygon(points, fill=shade)
    for _ in range(rng.randint(4, 9)):
        x, y = rng.randint(0, width - 120), rng.randint(int(height * 0.65), height - 60)
        w, h = rng.randint(40, 120), rng.randint(30, 80)
        draw.rectangle([x, y, x + w, y + h], fill=accent)
        draw.polygon([(x - 8, y), (x + w / 2, y - h / 2), (x + w + 8, y)], fill=(120, 50, 40))
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()
