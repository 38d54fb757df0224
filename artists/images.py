"""Uploaded work images and portraits: checked, cleaned and resized once, at upload.

Only real JPEG, PNG and WebP files are taken, as Pillow decodes them (the name and the
content type the browser sends are not trusted). A file is refused before its pixels are
decoded when it is too large on disk or declares too many pixels, so a small file that
would unpack into gigabytes (a decompression bomb) costs nothing. What is kept has its EXIF
orientation applied and is written again without metadata: EXIF (with the GPS position of
a home studio), XMP and comments do not survive. The thumbnail and display sizes are made
here, once, and never per request.
"""

import contextlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMBNAIL_SIDE = 400
DISPLAY_SIDE = 1600

# Decoded format -> (extension, options for saving the cleaned full-size image).
FORMATS = {
    "JPEG": ("jpg", {"quality": 92, "optimize": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 90}),
}
# The thumbnail and display sizes are WebP: small, with transparency where there is some.
VARIANT_FORMAT = ("webp", "WEBP", {"quality": 82, "method": 4})
# The jury's copies are encoded otherwise than the public sizes, so that no copy has the
# bytes (and the checksum) of a public file, even where the pixels are the same.
REVIEW_FORMAT = ("webp", "WEBP", {"quality": 88, "method": 6})

ACCEPT = "image/jpeg,image/png,image/webp"

MESSAGES = {
    "too_large": _("The file is larger than 15 MB. Export a smaller version and try again."),
    "not_an_image": _("This file is not an image we can read. Upload a JPEG, PNG or WebP image."),
    "wrong_format": _(
        "Only JPEG, PNG and WebP images are accepted; this file is %(format)s. "
        "Save it as JPEG and try again."
    ),
    "too_many_pixels": _(
        "The image has too many pixels: at most 40 megapixels (for example 8000 × 5000) "
        "are accepted. Make it smaller and try again."
    ),
    "empty": _("The file is empty."),
}


@dataclass(frozen=True)
class PreparedImage:
    """A checked upload, cleaned of metadata, with its sizes ready to be stored."""

    original: ContentFile
    display: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def refuse(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def prepare_image(upload) -> PreparedImage:
    """Check an uploaded file and return it cleaned, with its display and thumbnail sizes.

    Raises ValidationError with a message for the uploader when the file is refused;
    nothing is stored here, so a refused upload changes nothing.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise refuse("too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise refuse("too_large")
    if not data:
        raise refuse("empty")
    image = _decode(data)
    extension, options = FORMATS[image.format]
    try:
        original = _clean(image, image.format)
        return PreparedImage(
            original=_encode(original, image.format, options, f"original.{extension}"),
            display=_variant(original, DISPLAY_SIDE, "display"),
            thumbnail=_variant(original, THUMBNAIL_SIDE, "thumbnail"),
            width=original.width,
            height=original.height,
        )
    except (OSError, ValueError):
        # An unusual pixel mode that cannot be converted, or a broken frame.
        raise refuse("not_an_image") from None


def _decode(data: bytes) -> Image.Image:
    """Open the image, check its format and size from its header, then decode its pixels."""
    with warnings.catch_warnings():
        # Pillow warns, then raises, on images far beyond our own limit: both are refusals.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise refuse("too_many_pixels") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise refuse("not_an_image") from None
        if image.format not in FORMATS:
            raise refuse("wrong_format", format=image.format or "?")
        width, height = image.size
        if width < 1 or height < 1:
            raise refuse("not_an_image")
        if width * height > MAX_PIXELS:
            raise refuse("too_many_pixels")
        try:
            image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise refuse("too_many_pixels") from None
        except (OSError, SyntaxError, ValueError, MemoryError):
            raise refuse("not_an_image") from None
    return image


def _clean(image: Image.Image, image_format: str) -> Image.Image:
    """Return the upright image in a mode its format can store, without any metadata."""
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    if image_format == "JPEG":
        mode = "L" if upright.mode == "L" else "RGB"
    elif upright.mode in ("RGB", "RGBA", "L", "LA"):
        mode = upright.mode
    else:
        mode = "RGBA" if has_alpha else "RGB"
    clean = upright.convert(mode) if upright.mode != mode else upright.copy()
    icc_profile = image.info.get("icc_profile")
    # Nothing of the upload's info travels on: not EXIF, XMP, text chunks or comments.
    clean.info = {}
    if icc_profile:
        # Colour, not metadata: without it some photographs look wrong.
        clean.info["icc_profile"] = icc_profile
    return clean


def _encode(image: Image.Image, image_format: str, options: dict, name: str) -> ContentFile:
    buffer = io.BytesIO()
    extra = {}
    if image.info.get("icc_profile"):
        extra["icc_profile"] = image.info["icc_profile"]
    image.save(buffer, image_format, **options, **extra)
    return ContentFile(buffer.getvalue(), name=name)


def _variant(image: Image.Image, side: int, name: str) -> ContentFile:
    """Return a copy whose long side is at most ``side`` pixels (never enlarged)."""
    variant = image.copy()
    if variant.mode not in ("RGB", "RGBA"):
        variant = variant.convert("RGBA" if variant.mode in ("LA", "PA") else "RGB")
    variant.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    extension, image_format, options = VARIANT_FORMAT
    variant.info = {"icc_profile": image.info["icc_profile"]} if "icc_profile" in image.info else {}
    return _encode(variant, image_format, options, f"{name}.{extension}")


@dataclass(frozen=True)
class ReviewCopy:
    """An image as the jury sees it: new pixels, no metadata, nothing of the public files."""

    display: ContentFile
    thumbnail: ContentFile


def prepare_review_copy(source) -> ReviewCopy:
    """Return the jury's copy of a stored work image, in its display and thumbnail sizes.

    The public files are what the gallery and the API link to; a juror who is shown them
    can look the artist up. The copy is decoded from the stored original and encoded again
    (other bytes), converted to sRGB so that not even a colour profile (which can carry a
    name) travels on, and written without EXIF, XMP or comments.
    """
    source.open("rb")
    try:
        image = Image.open(io.BytesIO(source.read()))
        image.load()
    finally:
        source.close()
    upright = ImageOps.exif_transpose(image)
    icc_profile = image.info.get("icc_profile")
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    pixels = upright.convert("RGBA" if has_alpha else "RGB")
    if icc_profile:
        # A broken profile: the pixels as they are, without it.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
            pixels = ImageCms.profileToProfile(
                pixels,
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                ImageCms.createProfile("sRGB"),
                outputMode=pixels.mode,
            )
    pixels.info = {}
    extension, image_format, options = REVIEW_FORMAT
    copies = {}
    for name, side in (("display", DISPLAY_SIDE), ("thumbnail", THUMBNAIL_SIDE)):
        copy = pixels.copy()
        copy.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
        copy.info = {}
        buffer = io.BytesIO()
        copy.save(buffer, image_format, **options)
        copies[name] = ContentFile(buffer.getvalue(), name=f"review.{extension}")
    return ReviewCopy(**copies)


def delete_files_on_commit(*files) -> None:
    """Delete stored files once the transaction that stopped using them commits."""
    names = [(file.storage, file.name) for file in files if file]

    def delete():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete, robust=True)
