"""Persona images are checked by their content: type, size, pixel dimensions, integrity."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from engage import services
from engage.models import Persona
from engage.roles import Role

pytestmark = pytest.mark.django_db


def image_bytes(fmt="PNG", size=(8, 8), mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal" if mode == "RGB" else 0).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str, content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def with_declared_size(png: bytes, width: int, height: int) -> bytes:
    """The PNG with its header claiming another size (a correct CRC): a decompression bomb's
    header on a few bytes of data."""
    ihdr = png[8 + 8 : 8 + 8 + 13]
    ihdr = struct.pack(">II", width, height) + ihdr[8:]
    chunk = b"IHDR" + ihdr
    return png[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + png[33:]


@pytest.fixture
def editor(member, client_as):
    return client_as(member(Role.FACILITATOR))


def create(client, workspace, file):
    return client.post(
        reverse("persona_create", kwargs={"workspace": workspace.slug}),
        {"name": "Priya", "role": "customer", "avatar_colour": "teal", "avatar_image": file},
    )


def refused(response) -> str:
    assert response.status_code == 200, "the form comes back with the reason"
    assert not Persona.objects.exists()
    return response.content.decode()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!doctype html><script>alert(document.cookie)</script>"


@pytest.mark.parametrize(
    "data,name",
    [
        (SVG, "face.svg"),
        (SVG, "face.png"),
        (HTML, "face.png"),
        (HTML, "face.html"),
        (image_bytes() + HTML, "face.html"),  # a real PNG with HTML after it, named .html
        (image_bytes()[:60], "face.png"),  # cut off after the header
    ],
    ids=["svg", "svg-as-png", "html-as-png", "html", "png-as-html", "truncated-png"],
)
def test_files_that_are_not_accepted_raster_images_are_refused(editor, workspace, data, name):
    page = refused(create(editor, workspace, upload(data, name)))
    assert "Upload a valid image" in page or "is not allowed" in page


def test_a_real_image_in_a_format_we_do_not_take_is_refused_by_name(editor, workspace):
    page = refused(create(editor, workspace, upload(image_bytes("BMP"), "face.bmp")))
    assert "BMP images are not accepted; use JPEG, PNG, WebP or GIF." in page


def test_a_decompression_bomb_is_refused_without_being_expanded(editor, workspace):
    """A 50,000 × 50,000 header (10 GB of pixels) on a tiny file: refused from the header."""
    bomb = with_declared_size(image_bytes(), 50_000, 50_000)
    assert len(bomb) < 200
    refused(create(editor, workspace, upload(bomb, "face.png")))

    # The service gives the reason in words.
    with pytest.raises(ValidationError, match="far too many pixels; the limit is 4096×4096"):
        services.persona_create(
            workspace=workspace, created_by=None, name="P", avatar_image=upload(bomb, "f.png")
        )


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Django's form check
def test_a_huge_image_that_compresses_small_is_refused_by_its_dimensions(editor, workspace):
    flood = image_bytes("PNG", (10_000, 10_000), mode="1")  # 100 M pixels in a few KB
    assert len(flood) < 100_000
    page = refused(create(editor, workspace, upload(flood, "face.png")))
    assert "The image is 10000×10000 pixels; the limit is 4096×4096." in page


def test_an_image_named_for_another_format_is_stored_and_served_as_what_it_is(
    editor, workspace, client_as, member
):
    """A GIF (with HTML in its comment) called face.png is stored as .gif and served as
    image/gif with nosniff: the name a browser sees never comes from the uploader."""
    gif = image_bytes("GIF", comment=b"<script>alert(1)</script>")
    response = create(editor, workspace, upload(gif, "face.png"))

    assert response.status_code == 302
    persona = Persona.objects.get()
    assert persona.avatar_image.name.endswith(".gif")
    viewer = client_as(member(Role.VIEWER))
    served = viewer.get(
        reverse("persona_avatar", kwargs={"workspace": workspace.slug, "persona": persona.pk})
    )
    assert served["Content-Type"] == "image/gif"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == gif


@pytest.mark.parametrize("fmt,suffix", [("JPEG", ".jpg"), ("PNG", ".png"), ("WEBP", ".webp")])
def test_accepted_formats_keep_their_own_suffix(editor, workspace, fmt, suffix):
    response = create(editor, workspace, upload(image_bytes(fmt), f"photo.{fmt.lower()}"))

    assert response.status_code == 302
    assert Persona.objects.get().avatar_image.name.endswith(suffix)
