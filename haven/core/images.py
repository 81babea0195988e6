"""Image safety: format allow-list, size limits before decoding, re-encoding without metadata, blurhash."""

from __future__ import annotations

import contextlib
import functools
import io
import warnings
from typing import IO

import blurhash
import pillow_heif
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from haven.core.errors import InvalidInput, TooLarge, UnsupportedMedia

__all__ = [
    "ALLOWED_FORMATS",
    "EXTENSIONS",
    "blurhash_of",
    "file_too_large",
    "open_validated",
    "read_limited",
    "render",
]

#: Pillow format names we accept. Everything else (GIF, BMP, TIFF, SVG, HTML...) is refused.
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "HEIF"})
#: File extension used when storing an original of each allowed format.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}

pillow_heif.register_heif_opener()
# A truncated image must be refused, never silently padded with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False

_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, RuntimeError, IndexError, TypeError)
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "WEBP": {"method": 4},
    "JPEG": {"optimize": True, "progressive": True},
    "PNG": {"optimize": True},
}


def read_limited(file: bytes | IO[bytes], *, max_bytes: int | None = None) -> bytes:
    """Read the whole upload, but never more than `max_bytes` (+1 to detect overflow); raise TooLarge."""
    limit = settings.HAVEN.max_upload_bytes if max_bytes is None else max_bytes
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file[: limit + 1])
    else:
        declared = getattr(file, "size", None)
        if isinstance(declared, int) and declared > limit:
            raise file_too_large(limit)
        if hasattr(file, "seek"):
            with contextlib.suppress(OSError, ValueError):
                file.seek(0)
        data = file.read(limit + 1) or b""
    if len(data) > limit:
        raise file_too_large(limit)
    if not data:
        raise InvalidInput(_("The file is empty."), code="empty_file")
    return data


def open_validated(
    file: bytes | IO[bytes], *, max_bytes: int | None = None, max_pixels: int | None = None
) -> Image.Image:
    """Open an untrusted image safely and return it fully decoded and upright (first frame only).

    Order matters: byte size, then the sniffed format, then declared dimensions, and only then are
    pixels decoded. The returned image carries the sniffed format in `.format` ("JPEG", "PNG", ...).
    """
    data = read_limited(file, max_bytes=max_bytes)
    pixel_limit = settings.HAVEN.max_image_pixels if max_pixels is None else max_pixels
    side_limit = settings.HAVEN.max_image_side
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=sorted(ALLOWED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _image_too_large() from None
    except UnidentifiedImageError:
        raise UnsupportedMedia(
            _("This file is not a supported image (JPEG, PNG, WebP or HEIC)."), code="unsupported_format"
        ) from None
    except _DECODE_ERRORS:
        raise _corrupt() from None

    fmt = (img.format or "").upper()
    if fmt not in ALLOWED_FORMATS:  # pragma: no cover - `formats=` already restricts the plugins
        raise UnsupportedMedia(_("This image format is not supported."), code="unsupported_format")
    width, height = img.size
    if width <= 0 or height <= 0:
        raise _corrupt()
    pixel_limit = min(pixel_limit, Image.MAX_IMAGE_PIXELS or pixel_limit)  # Pillow's bomb limit, if any
    if width * height > pixel_limit or max(width, height) > side_limit:
        raise _image_too_large()

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if getattr(img, "is_animated", False):
                img.seek(0)
            img.load()
            upright = ImageOps.exif_transpose(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _image_too_large() from None
    except MemoryError:
        raise _image_too_large() from None
    except _DECODE_ERRORS:
        raise _corrupt() from None
    finally:
        img.close()
    upright.format = fmt
    return upright


def render(
    img: Image.Image,
    *,
    max_side: int,
    max_width: int | None = None,
    fmt: str = "WEBP",
    quality: int = 82,
    square: bool = False,
) -> bytes:
    """Re-encode `img` into a fresh file with no metadata at all (no EXIF, XMP or ICC profile).

    Resizes with LANCZOS and never upscales: the longest side is at most `max_side` (and the width at
    most `max_width` when given); `square=True` centre-crops to a square first. Colours are converted
    to sRGB; alpha is kept for WebP/PNG and flattened onto white otherwise.
    """
    fmt = fmt.upper()
    keep_alpha = fmt in {"WEBP", "PNG"}
    out = _to_srgb(img, keep_alpha=keep_alpha)
    width, height = out.size
    if square:
        side = min(width, height, max_side, max_width or max_side)
        out = ImageOps.fit(out, (side, side), Image.Resampling.LANCZOS)
    else:
        scale = min(1.0, max_side / max(width, height), (max_width or width) / width)
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            out = out.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out.info = {}  # nothing from the source (exif, xmp, icc_profile, comments...) travels along
    buffer = io.BytesIO()
    options = dict(_SAVE_OPTIONS.get(fmt, {}))
    if fmt in {"WEBP", "JPEG"}:
        options["quality"] = quality
    out.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def blurhash_of(img: Image.Image) -> str:
    """A compact placeholder string (4x3 components) shown while the real image loads."""
    small = _to_srgb(img, keep_alpha=False)
    small.thumbnail((64, 64), Image.Resampling.BILINEAR)
    with warnings.catch_warnings():
        # blurhash-python 1.2 still calls Image.getdata(), deprecated since Pillow 12 (removed in 14).
        warnings.simplefilter("ignore", DeprecationWarning)
        return str(blurhash.encode(small, x_components=4, y_components=3))


def _to_srgb(img: Image.Image, *, keep_alpha: bool) -> Image.Image:
    """A new RGB (or RGBA when `keep_alpha` and the image has transparency) image in sRGB."""
    if img.mode in {"I;16", "I;16B", "I;16L", "I;16N", "I", "F"}:
        # High bit depth greyscale: scale down to 8 bits instead of clipping to white.
        img = img.convert("I").point(lambda v: v / 256).convert("L")
    elif img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    has_alpha = img.mode in _ALPHA_MODES or "transparency" in img.info
    target = "RGBA" if has_alpha else "RGB"
    out: Image.Image | None = None
    icc = img.info.get("icc_profile")
    if icc and img.mode in {"RGB", "RGBA", "CMYK", "L"}:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            out = ImageCms.profileToProfile(
                img, source, _srgb_profile(), outputMode="RGBA" if img.mode == "RGBA" else "RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            out = None  # an unusable profile: keep the pixels as they are
    out = img.convert(target) if out is None else out.convert(target)
    if out.mode == "RGBA":
        alpha_min, _alpha_max = out.getchannel("A").getextrema()  # type: ignore[misc]
        if alpha_min == 255:
            out = out.convert("RGB")
        elif not keep_alpha:
            background = Image.new("RGB", out.size, (255, 255, 255))
            background.paste(out, mask=out.getchannel("A"))
            out = background
    out.info = {}
    return out


@functools.cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def file_too_large(limit: int) -> TooLarge:
    """The error for an upload over `limit` bytes (also used where a request body is cut short)."""
    return TooLarge(
        _("The file is too large (the limit is %(mb)s MB).") % {"mb": round(limit / (1024 * 1024), 1)},
        code="file_too_large",
        details={"max_bytes": limit},
    )


def _image_too_large() -> TooLarge:
    return TooLarge(_("The image has too many pixels."), code="image_too_large")


def _corrupt() -> InvalidInput:
    return InvalidInput(_("The image is damaged or incomplete."), code="corrupt_image")
