import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

# The formats accepted, and the file suffix each is stored (and so served) under.
AVATAR_SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
UNREADABLE = "That file is not an image we can read (JPEG, PNG, WebP or GIF)."


def image_format(upload) -> str | None:
    """Pillow's name for the file's format, read from its content (never its name)."""
    position = upload.tell()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                return image.format
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(position)


def validate_avatar_image(upload):
    """Accept small raster images only: checked by decoding, not by the file name.

    The size, the format and the pixel dimensions are read from the header, so a
    decompression bomb is refused without being expanded; no pixel is decoded here.
    """
    if getattr(upload, "_committed", False):
        return  # stored earlier, and checked when it was uploaded
    if upload.size > settings.AVATAR_MAX_BYTES:
        raise ValidationError(
            f"The image is {filesizeformat(upload.size)}; the limit is "
            f"{filesizeformat(settings.AVATAR_MAX_BYTES)}."
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                _check_header(image)
                image.verify()
    except Image.DecompressionBombError as error:  # past twice Pillow's own limit
        raise ValidationError(_too_many_pixels("has far too many pixels")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(UNREADABLE) from error
    finally:
        upload.seek(position)


def _check_header(image) -> None:
    if image.format not in AVATAR_SUFFIXES:
        raise ValidationError(
            f"{image.format} images are not accepted; use JPEG, PNG, WebP or GIF."
        )
    width, height = image.size
    limit = settings.AVATAR_MAX_PIXELS
    if width > limit or height > limit:
        raise ValidationError(_too_many_pixels(f"is {width}×{height} pixels"))


def _too_many_pixels(what: str) -> str:
    limit = settings.AVATAR_MAX_PIXELS
    return f"The image {what}; the limit is {limit}×{limit}."
