from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

AVATAR_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_avatar_image(upload):
    """Accept small raster images only: checked by decoding, not by the file name."""
    if getattr(upload, "_committed", False):
        return  # stored earlier, and checked when it was uploaded
    if upload.size > settings.AVATAR_MAX_BYTES:
        raise ValidationError(
            f"The image is {filesizeformat(upload.size)}; the limit is "
            f"{filesizeformat(settings.AVATAR_MAX_BYTES)}."
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            "That file is not an image we can read (JPEG, PNG, WebP or GIF)."
        ) from error
    finally:
        upload.seek(position)
    if image_format not in AVATAR_FORMATS:
        raise ValidationError(
            f"{image_format} images are not accepted; use JPEG, PNG, WebP or GIF."
        )
    limit = settings.AVATAR_MAX_PIXELS
    if width > limit or height > limit:
        raise ValidationError(
            f"The image is {width}×{height} pixels; the limit is {limit}×{limit}."
        )
