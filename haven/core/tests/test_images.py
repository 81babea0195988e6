"""Tests of haven.core.images: the allow-list, limits before decoding, metadata stripping, blurhash."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image, ImageFile

from haven.core import images
from haven.core.errors import InvalidInput, TooLarge, UnsupportedMedia


def _jpeg(size: tuple[int, int] = (120, 80), *, gps: bool = False, orientation: int | None = None) -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "HavenCam"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps_ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps_ifd[ExifTags.GPS.GPSLatitude] = (1.0, 2.0, 3.5)
        gps_ifd[ExifTags.GPS.GPSLongitudeRef] = "E"
        gps_ifd[ExifTags.GPS.GPSLongitude] = (4.0, 5.0, 6.5)
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def _png(size: tuple[int, int] = (64, 64), mode: str = "RGB", **info: object) -> bytes:
    img = Image.new(mode, size)
    buffer = io.BytesIO()
    img.save(buffer, "PNG", **info)  # type: ignore[arg-type]
    return buffer.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` but carries almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 10))
        + chunk(b"IEND", b"")
    )


def _decode(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_load_truncated_images_stays_off() -> None:
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    assert {"JPEG", "PNG", "WEBP", "HEIF"} == images.ALLOWED_FORMATS


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_open_validated_accepts_allowed_formats(fmt: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(buffer, fmt)
    img = images.open_validated(buffer.getvalue())
    assert img.format == fmt
    assert img.size == (40, 30)


def test_open_validated_accepts_heic() -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    buffer = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.new("RGB", (64, 48), (9, 99, 199))).save(buffer, quality=80)
    except Exception as exc:
        pytest.skip(f"pillow-heif cannot encode HEIC here: {exc}")
    img = images.open_validated(buffer.getvalue())
    assert img.format == "HEIF"
    assert img.size == (64, 48)


def test_open_validated_reads_a_file_object() -> None:
    img = images.open_validated(io.BytesIO(_jpeg()))
    assert img.size == (120, 80)


def test_html_named_like_a_photo_is_refused() -> None:
    with pytest.raises(UnsupportedMedia) as err:
        images.open_validated(b"<!doctype html><html><body><script>alert(1)</script></body></html>")
    assert err.value.code == "unsupported_format"
    assert err.value.status == 415


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_formats_outside_the_allow_list_are_refused(fmt: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, fmt)
    with pytest.raises(UnsupportedMedia) as err:
        images.open_validated(buffer.getvalue())
    assert err.value.code == "unsupported_format"


def test_too_many_bytes_is_refused_before_decoding() -> None:
    with pytest.raises(TooLarge) as err:
        images.open_validated(b"<html>" * 1000, max_bytes=100)  # not even an image: size comes first
    assert err.value.code == "file_too_large"
    assert err.value.status == 413


def test_file_object_is_read_only_up_to_the_limit() -> None:
    stream = io.BytesIO(b"x" * 10_000)
    with pytest.raises(TooLarge):
        images.read_limited(stream, max_bytes=100)
    assert stream.tell() == 101


def test_default_byte_limit_comes_from_settings(settings, monkeypatch) -> None:
    monkeypatch.setattr(settings.HAVEN, "max_upload_bytes", 500)
    with pytest.raises(TooLarge) as err:
        images.open_validated(_jpeg((300, 300)))
    assert err.value.code == "file_too_large"


def test_empty_file_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        images.open_validated(b"")
    assert err.value.code == "empty_file"


def test_huge_dimensions_are_refused_before_decoding() -> None:
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(TooLarge) as err:
        images.open_validated(buffer.getvalue())
    assert err.value.code == "image_too_large"


def test_header_claiming_huge_dimensions_is_refused() -> None:
    with pytest.raises(TooLarge) as err:
        images.open_validated(_png_header_only(20000, 20000))
    assert err.value.code == "image_too_large"


def test_pixel_and_side_limits(settings, monkeypatch) -> None:
    with pytest.raises(TooLarge):
        images.open_validated(_png((100, 100)), max_pixels=9_999)
    assert images.open_validated(_png((100, 100)), max_pixels=10_000).size == (100, 100)
    monkeypatch.setattr(settings.HAVEN, "max_image_side", 99)
    with pytest.raises(TooLarge) as err:
        images.open_validated(_png((100, 10)))
    assert err.value.code == "image_too_large"


def test_truncated_jpeg_is_refused() -> None:
    data = _jpeg((400, 300))
    with pytest.raises(InvalidInput) as err:
        images.open_validated(data[: len(data) // 2])
    assert err.value.code == "corrupt_image"


def test_exif_orientation_is_applied() -> None:
    img = images.open_validated(_jpeg((120, 80), orientation=6))  # rotated 90 degrees
    assert img.size == (80, 120)


def test_animated_image_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (20, 10), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    img = images.open_validated(buffer.getvalue())
    assert not getattr(img, "is_animated", False)
    assert img.getpixel((5, 5))[:3] == (255, 0, 0)


def test_render_strips_all_metadata() -> None:
    source = _jpeg((300, 200), gps=True)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the fixture has GPS
    img = images.open_validated(source)
    for fmt in ("WEBP", "JPEG", "PNG"):
        out = images.render(img, max_side=100, fmt=fmt)
        decoded = _decode(out)
        assert decoded.format == fmt
        assert not decoded.getexif()
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"} & set(decoded.info)
        assert b"Exif" not in out
        assert b"HavenCam" not in out


def test_render_drops_icc_profile_after_converting_to_srgb() -> None:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 200, 10)).save(buffer, "PNG", icc_profile=srgb)
    out = images.render(images.open_validated(buffer.getvalue()), max_side=20)
    assert "icc_profile" not in _decode(out).info
    assert profile  # a bogus profile for RGB data must not break rendering either
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "PNG", icc_profile=profile)
    assert _decode(images.render(images.open_validated(buffer.getvalue()), max_side=20)).size == (20, 20)


def test_render_resizes_without_upscaling() -> None:
    img = images.open_validated(_png((3000, 1500)))
    assert _decode(images.render(img, max_side=1440)).size == (1440, 720)
    assert _decode(images.render(img, max_side=1080, max_width=540)).size == (540, 270)
    small = images.open_validated(_png((200, 100)))
    assert _decode(images.render(small, max_side=1440)).size == (200, 100)
    tall = images.open_validated(_png((1000, 4000)))
    assert _decode(images.render(tall, max_side=1080, max_width=540)).size == (270, 1080)


def test_render_square_crops_the_centre() -> None:
    img = Image.new("RGB", (300, 100), (0, 0, 0))
    img.paste((255, 255, 255), (100, 0, 200, 100))  # white centre third
    out = _decode(images.render(img, max_side=64, square=True, fmt="PNG"))
    assert out.size == (64, 64)
    assert out.getpixel((32, 32)) == (255, 255, 255)
    assert min(out.getpixel((0, 32))) > 230  # the black sides are cropped away


def test_alpha_is_kept_for_webp_and_flattened_on_white_for_jpeg() -> None:
    img = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    webp = _decode(images.render(img, max_side=10, fmt="WEBP"))
    assert webp.mode == "RGBA"
    jpeg = _decode(images.render(img, max_side=10, fmt="JPEG"))
    assert jpeg.mode == "RGB"
    assert all(channel > 245 for channel in jpeg.getpixel((5, 5)))


def test_opaque_alpha_is_dropped() -> None:
    img = Image.new("RGBA", (10, 10), (5, 5, 5, 255))
    assert _decode(images.render(img, max_side=10)).mode == "RGB"


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "I;16", "CMYK"])
def test_render_handles_unusual_modes(mode: str) -> None:
    img = Image.new(mode, (16, 8))
    out = _decode(images.render(img, max_side=16, fmt="JPEG"))
    assert out.mode == "RGB"
    assert out.size == (16, 8)


def test_blurhash_of() -> None:
    img = images.open_validated(_jpeg((300, 200)))
    value = images.blurhash_of(img)
    assert isinstance(value, str)
    assert 20 <= len(value) <= 64
    assert img.size == (300, 200)  # the caller's image is left alone
    img.load()
