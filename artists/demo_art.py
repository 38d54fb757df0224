"""Pictures for the demo that look like art, painted by code with Pillow.

Three kinds, each deterministic by its seed (the same seed gives the same pixels on every
machine, without the network): abstract paintings (colour fields under layered brush
strokes on canvas), prints (woodcut-like bands of a landscape, or a geometric screen print
in a few overprinted inks on paper) and photographs (a fjord between mountain ridges, sky
and water, with film grain). Each is 1200 px on its long side, a JPEG at quality 85, with
a 400 px thumbnail, and is made only once: a stored file is used as it is.
"""

import functools
import io
import math
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageChops, ImageDraw, ImageFilter

LONG_SIDE = 1200
THUMBNAIL_SIDE = 400
KINDS = ("painting", "print", "photograph")

# Palettes of the paintings and prints: the region's coast, forests and winters.
PALETTES = [
    ["#1d3557", "#457b9d", "#a8dadc", "#f1faee", "#e63946"],
    ["#2b2d42", "#8d99ae", "#edf2f4", "#d98b3a", "#7a3b2e"],
    ["#283618", "#606c38", "#fefae0", "#dda15e", "#bc6c25"],
    ["#0b3c49", "#3e7c85", "#c9d6cf", "#e8c07d", "#a23b2a"],
    ["#3d2c3e", "#7d5a7a", "#d8c3a5", "#e98a15", "#1f4e5f"],
    ["#102a43", "#243b53", "#f0b429", "#de911d", "#f7f1e3"],
    ["#22333b", "#5e503f", "#c6ac8f", "#eae0d5", "#9a031e"],
    ["#14213d", "#fca311", "#e5e5e5", "#6b9080", "#a4c3b2"],
]
PAPER = ["#f4efe3", "#efe8d8", "#f7f3ea", "#ebe4d3"]


# What each kind of picture is made as, and its sizes, for the demo's galleries and works.
TECHNIQUES = {
    "painting": ["Olje på lerret", "Akryl på lerret", "Eggtempera på plate", "Olje på papir"],
    "print": ["Tresnitt", "Silketrykk", "Linosnitt", "Fargetresnitt"],
    "photograph": ["Fotografi, pigmentprint", "Fotografi, C-print", "Fotografi, sølvgelatin"],
}
DIMENSIONS = {
    "painting": ["100 × 80 cm", "60 × 50 cm", "120 × 100 cm", "40 × 30 cm"],
    "print": ["50 × 40 cm", "70 × 50 cm", "30 × 30 cm"],
    "photograph": ["60 × 90 cm", "80 × 120 cm", "40 × 60 cm"],
}


@dataclass(frozen=True)
class DemoPicture:
    """A stored demo picture: its kind, the full size, the thumbnail and its size."""

    kind: str
    image: str
    thumbnail: str
    width: int
    height: int


def rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def jitter(colour, rng: random.Random, amount: int = 18) -> tuple[int, int, int]:
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in colour)


def mix(a, b, share: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))


def noise(size: tuple[int, int], rng: random.Random, blur: float = 0.0) -> Image.Image:
    """Return grey noise from the seeded generator (Pillow's own noise is not seeded)."""
    width, height = size
    grain = Image.frombytes("L", size, rng.randbytes(width * height))
    return grain.filter(ImageFilter.GaussianBlur(blur)) if blur else grain


def with_grain(image: Image.Image, rng: random.Random, strength: float, blur=0.6) -> Image.Image:
    grain = noise(image.size, rng, blur).convert("RGB")
    return Image.blend(image, ImageChops.overlay(image, grain), strength)


def size_for(rng: random.Random, shapes) -> tuple[int, int]:
    ratio = rng.choice(shapes)
    if ratio >= 1:
        return LONG_SIDE, round(LONG_SIDE / ratio)
    return round(LONG_SIDE * ratio), LONG_SIDE


# Abstract paintings -------------------------------------------------------------------------


def painting(seed: int) -> Image.Image:
    """Colour fields with soft edges under layers of brush strokes, on canvas."""
    rng = random.Random(f"painting-{seed}")  # noqa: S311 -- pictures, not security
    width, height = size_for(rng, [4 / 5, 3 / 4, 1.0, 5 / 4])
    palette = [rgb(c) for c in rng.choice(PALETTES)]
    rng.shuffle(palette)
    image = Image.new("RGB", (width, height), palette[0])
    # Two to four fields of colour, stacked like a Rothko or a landscape's bands.
    fields = Image.new("RGBA", (width, height))
    draw = ImageDraw.Draw(fields)
    top = rng.randint(0, height // 10)
    count = rng.randint(2, 4)
    for index in range(count):
        bottom = top + (height - top) // (count - index) - rng.randint(0, height // 20)
        inset = rng.randint(width // 20, width // 8)
        colour = (*jitter(palette[1 + index % 4], rng), rng.randint(190, 240))
        draw.rectangle((inset, top, width - inset, bottom), fill=colour)
        top = bottom + rng.randint(height // 40, height // 15)
    soft = fields.filter(ImageFilter.GaussianBlur(width / 90))
    image.paste(soft, (0, 0), soft)
    # Brush strokes: bundles of bristle lines along gentle curves, in layers.
    for layer in range(3):
        strokes = Image.new("RGBA", (width, height))
        draw = ImageDraw.Draw(strokes)
        for _stroke in range(rng.randint(14, 28)):
            colour = jitter(rng.choice(palette), rng, 25)
            brush = rng.randint(width // 60, width // 16)
            x, y = rng.uniform(0, width), rng.uniform(0, height)
            angle = rng.uniform(0, math.pi) if layer else rng.choice([0, math.pi / 2])
            length = rng.uniform(width / 8, width / 2.5)
            bend = rng.uniform(-0.35, 0.35)
            steps = 12
            path = []
            for step in range(steps + 1):
                t = step / steps
                direction = angle + bend * (t - 0.5)
                path.append(
                    (x + math.cos(direction) * length * t, y + math.sin(direction) * length * t)
                )
            for _bristle in range(rng.randint(4, 8)):
                offset = rng.uniform(-brush, brush)
                normal = angle + math.pi / 2
                dx, dy = math.cos(normal) * offset, math.sin(normal) * offset
                alpha = rng.randint(60, 170)
                draw.line(
                    [(px + dx, py + dy) for px, py in path],
                    fill=(*jitter(colour, rng, 10), alpha),
                    width=max(2, brush // 3),
                    joint="curve",
                )  # fmt: skip
        image.paste(strokes, (0, 0), strokes)
    image = image.filter(ImageFilter.GaussianBlur(0.7))
    # The weave of the canvas.
    weave = noise((width // 3, height // 3), rng).resize((width, height), Image.Resampling.NEAREST)
    image = Image.blend(image, ImageChops.soft_light(image, weave.convert("RGB")), 0.35)
    return with_grain(image, rng, 0.15)


# Prints ------------------------------------------------------------------------------------


def woodcut(rng: random.Random) -> Image.Image:
    """Bands of hills and waves cut in wood, printed in two or three inks on paper."""
    width, height = size_for(rng, [4 / 3, 3 / 2, 1.0])
    paper = rgb(rng.choice(PAPER))
    inks = [rgb(c) for c in rng.sample(rng.choice(PALETTES)[:2] + rng.choice(PALETTES)[3:], 3)]
    image = Image.new("RGB", (width, height), paper)
    margin = width // 14
    draw = ImageDraw.Draw(image)
    bands = rng.randint(5, 8)
    phase = rng.uniform(0, math.tau)
    # A sun or moon, cut as a disc with rings.
    sun_x, sun_y = rng.uniform(0.2, 0.8) * width, rng.uniform(0.12, 0.3) * height
    radius = rng.uniform(0.06, 0.11) * width
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=inks[2])
    for ring in range(3, int(radius), 14):
        draw.ellipse(
            (sun_x - ring, sun_y - ring, sun_x + ring, sun_y + ring), outline=paper, width=2
        )
    for band in range(bands):
        level = height * (0.35 + 0.65 * band / bands)
        amplitude = height * rng.uniform(0.02, 0.07) * (1 - band / bands / 2)
        frequency = rng.uniform(1.0, 3.5) / width * math.tau
        ink = inks[band % 2]
        # Misregistration: each pass of the press lands a little off.
        shift_x, shift_y = rng.randint(-4, 4), rng.randint(-3, 3)

        def ridge(x, level=level, amplitude=amplitude, frequency=frequency, band=band):
            return level + amplitude * math.sin(x * frequency + phase + band * 1.7)

        outline = [(x + shift_x, ridge(x) + shift_y) for x in range(0, width + 8, 8)]
        draw.polygon([*outline, (width, height), (0, height)], fill=ink)
        # Gouges: thin lines of paper following the band's edge.
        for line in range(1, rng.randint(3, 6)):
            depth = line * rng.uniform(7, 12)
            gouge = [(x, ridge(x) + depth + rng.uniform(-1.5, 1.5)) for x in range(0, width + 8, 8)]
            draw.line(gouge, fill=paper, width=rng.choice([1, 2, 2, 3]))
    # The paper's margin and its grain; ink is never quite even.
    draw.rectangle((0, 0, width, margin), fill=paper)
    draw.rectangle((0, height - margin, width, height), fill=paper)
    draw.rectangle((0, 0, margin, height), fill=paper)
    draw.rectangle((width - margin, 0, width, height), fill=paper)
    speckle = noise((width, height), rng, blur=1.2).point(lambda v: 255 if v > 150 else 0)
    image = Image.composite(Image.new("RGB", image.size, paper), image, speckle.point(
        lambda v: 70 if v else 0))  # fmt: skip
    return with_grain(image, rng, 0.12)


def screen_print(rng: random.Random) -> Image.Image:
    """Circles, arcs and blocks in three or four inks that darken where they overlap."""
    width, height = size_for(rng, [1.0, 4 / 5, 3 / 4])
    paper = rgb(rng.choice(PAPER))
    palette = [rgb(c) for c in rng.choice(PALETTES)]
    image = Image.new("RGB", (width, height), paper)
    margin = width // 10
    for ink in rng.sample(palette, rng.randint(3, 4)):
        layer = Image.new("RGB", (width, height), (255, 255, 255))
        draw = ImageDraw.Draw(layer)
        for _shape in range(rng.randint(1, 3)):
            x, y = rng.uniform(margin, width - margin), rng.uniform(margin, height - margin)
            size = rng.uniform(0.12, 0.35) * width
            kind = rng.choice(["circle", "half", "block", "stripes"])
            box = (x - size, y - size, x + size, y + size)
            if kind == "circle":
                draw.ellipse(box, fill=ink)
            elif kind == "half":
                start = rng.choice([0, 90, 180, 270])
                draw.pieslice(box, start, start + 180, fill=ink)
            elif kind == "block":
                draw.rectangle((x - size, y - size / 2, x + size / 3, y + size / 2), fill=ink)
            else:
                for stripe in range(int(-size), int(size), 22):
                    draw.rectangle((x - size, y + stripe, x + size, y + stripe + 9), fill=ink)
        layer = layer.filter(ImageFilter.GaussianBlur(0.8))
        image = ImageChops.multiply(image, layer)
    frame = Image.new("L", image.size, 0)
    ImageDraw.Draw(frame).rectangle((margin, margin, width - margin, height - margin), fill=255)
    image = Image.composite(image, Image.new("RGB", image.size, paper), frame)
    return with_grain(image, rng, 0.1)


def printed(seed: int) -> Image.Image:
    rng = random.Random(f"print-{seed}")  # noqa: S311 -- pictures, not security
    return woodcut(rng) if seed % 2 == 0 else screen_print(rng)


# Photographs --------------------------------------------------------------------------------

SKIES = [
    # zenith, horizon, water tint: morning, overcast, blue hour, summer evening
    ("#5b7fa6", "#f3c9a0", "#31465c"),
    ("#8a96a3", "#d7dade", "#4d5864"),
    ("#1f2f4f", "#7b8fb8", "#16233a"),
    ("#3f6f9f", "#f7d38a", "#2c4a66"),
    ("#6d8fb0", "#e9eef2", "#3b5670"),
]


def ridge_line(rng: random.Random, width: int, base: float, rough: float) -> list[float]:
    """A mountain ridge by midpoint displacement: one height for every x."""
    points = 2**8 + 1
    heights = [0.0] * points
    heights[0], heights[-1] = rng.uniform(-1, 1), rng.uniform(-1, 1)
    step, scale = points - 1, 1.0
    while step > 1:
        half = step // 2
        for start in range(0, points - 1, step):
            middle = (heights[start] + heights[start + step]) / 2
            heights[start + half] = middle + rng.uniform(-scale, scale)
        step, scale = half, scale * 0.55
    return [
        base - rough * heights[min(points - 1, round(x / width * (points - 1)))]
        for x in range(width)
    ]


def photograph(seed: int) -> Image.Image:
    """A fjord between mountain ridges: sky, hazy ridges, water with their reflection."""
    rng = random.Random(f"photograph-{seed}")  # noqa: S311 -- pictures, not security
    width, height = size_for(rng, [3 / 2, 4 / 3, 16 / 9])
    zenith, glow, water = (rgb(c) for c in rng.choice(SKIES))
    horizon = round(height * rng.uniform(0.52, 0.66))
    sky = Image.new("RGB", (1, height))
    for y in range(height):
        share = min(1.0, y / horizon) ** 1.6
        sky.putpixel((0, y), mix(zenith, glow, share))
    image = sky.resize((width, height))
    draw = ImageDraw.Draw(image)
    # Ridges from the farthest (pale, hazy) to the nearest (dark).
    layers = rng.randint(3, 4)
    dark = mix(water, (10, 14, 20), 0.6)
    for layer in range(layers):
        near = (layer + 1) / layers
        colour = mix(glow, dark, 0.25 + 0.7 * near)
        base = horizon - height * (0.28 - 0.2 * near) * rng.uniform(0.7, 1.1)
        ridge = ridge_line(rng, width, base, height * rng.uniform(0.06, 0.14))
        draw.polygon([(x, ridge[x]) for x in range(width)] + [(width, horizon), (0, horizon)],
                     fill=colour)  # fmt: skip
    # The water mirrors the land above it, darker, broken by ripples.
    above = image.crop((0, 2 * horizon - height, width, horizon)).transpose(
        Image.Transpose.FLIP_TOP_BOTTOM
    )
    reflection = Image.blend(above, Image.new("RGB", above.size, water), 0.45)
    rippled = reflection.copy()
    for y in range(0, reflection.height, 3):
        offset = round(math.sin(y * 0.21 + rng.uniform(0, 0.6)) * (1 + y * 0.02))
        rippled.paste(reflection.crop((0, y, width, y + 3)), (offset, y))
    image.paste(rippled, (0, horizon))
    # A lens: a soft vignette and film grain.
    vignette = Image.new("L", (width, height), 0)
    ImageDraw.Draw(vignette).ellipse(
        (-width * 0.25, -height * 0.3, width * 1.25, height * 1.3), fill=255
    )
    vignette = vignette.filter(ImageFilter.GaussianBlur(width / 8))
    image = Image.composite(image, Image.blend(image, Image.new("RGB", image.size), 0.45), vignette)
    return with_grain(image, rng, 0.22, blur=0.4)


PAINTERS = {"painting": painting, "print": printed, "photograph": photograph}


def picture(kind: str, seed: int) -> Image.Image:
    """Return the demo picture of this kind and seed (the same pixels every time)."""
    return PAINTERS[kind](seed)


@functools.cache
def encoded(kind: str, seed: int) -> tuple[bytes, bytes, tuple[int, int]]:
    """Return the JPEG of the picture, of its thumbnail, and its size; made once a process
    (the tests load the demo into several media folders)."""
    image = picture(kind, seed)
    files = []
    for side in (LONG_SIDE, THUMBNAIL_SIDE):
        copy = image.copy()
        copy.thumbnail((side, side), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        copy.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
        files.append(buffer.getvalue())
    return files[0], files[1], image.size


def stored_picture(kind: str, seed: int) -> DemoPicture:
    """Store the picture and its thumbnail once; return where they are."""
    name = f"artists/demo/{kind}-{seed:02d}.jpg"
    thumbnail_name = f"artists/demo/{kind}-{seed:02d}-thumbnail.jpg"
    if default_storage.exists(name) and default_storage.exists(thumbnail_name):
        with default_storage.open(name) as stored, Image.open(stored) as image:
            return DemoPicture(kind, name, thumbnail_name, *image.size)
    full, thumbnail, (width, height) = encoded(kind, seed)
    for target, data in ((name, full), (thumbnail_name, thumbnail)):
        if default_storage.exists(target):
            default_storage.delete(target)
        default_storage.save(target, ContentFile(data))
    return DemoPicture(kind, name, thumbnail_name, width, height)


def demo_pictures(per_kind: int = 8) -> dict[str, list[DemoPicture]]:
    """Return ``per_kind`` stored pictures of every kind, made on the first call only."""
    return {kind: [stored_picture(kind, seed) for seed in range(per_kind)] for kind in KINDS}
