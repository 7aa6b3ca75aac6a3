"""A board's identity on its public pages and PDFs: the logo and the house colour.

The logo is an uploaded file, so nothing of it is trusted: only PNG and JPEG (no SVG, which can
carry scripts), read by content and not by name, bounded in bytes and pixels before it is
decoded, and re-encoded from the bare pixels so that no metadata or hidden payload survives.
It is stored through Django's default storage (settings.STORAGES, so a hosted installation can
put it in object storage) under a name made from its content: a published statement names the
logo it was published with, and that file never changes or disappears when a new logo comes.
"""

import hashlib
import io
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, UnidentifiedImageError

LOGO_MAX_BYTES = 1024 * 1024
# A 1 MB PNG of one colour can claim 20,000 x 20,000 pixels (1.6 GB decoded); the size is read
# from the header and refused before any pixel is decoded.
LOGO_MAX_SOURCE_PIXELS = 4000 * 4000
LOGO_MAX_SIDE = 1000
LOGO_DIRECTORY = "logos"
LOGO_CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg"}
# The only names the app stores, serves and lets the PDF renderer read: no path, no other type.
LOGO_NAME = re.compile(r"^[0-9a-f]{64}\.(png|jpg)$")

LOGO_REFUSED = _(
    "Dit bestand is geen bruikbaar logo. Upload een PNG- of JPEG-afbeelding van hoogstens 1 MB "
    "en 4000 × 4000 pixels."
)

COLOUR = re.compile(r"^#[0-9a-f]{6}$")
# The statement shows white text on the house colour (the version bar) and headings in the
# house colour on white: both need WCAG's 4.5:1 for normal text.
MINIMUM_CONTRAST = 4.5
WHITE = "#ffffff"


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted(map(relative_luminance, (first, second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_house_colour(value: str) -> None:
    if not COLOUR.match(value):
        raise ValidationError(
            _("Geef de kleur als # met zes tekens 0-9 of a-f, bijvoorbeeld #0b4f8a."),
            code="invalid_colour",
        )
    ratio = contrast_ratio(value, WHITE)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _(
                "Deze kleur geeft te weinig contrast met de tekst (%(ratio)s:1 met wit, er is "
                "minstens 4,5:1 nodig). Kies een donkerdere kleur."
            ),
            code="low_contrast",
            params={"ratio": f"{ratio:.1f}".replace(".", ",")},
        )


def validate_logo_name(value) -> None:
    """Only logos this module stored: a file put in any other way (the Django admin) is refused."""
    name = str(value or "")
    if name and not LOGO_NAME.match(name.removeprefix(f"{LOGO_DIRECTORY}/")):
        raise ValidationError(
            _("Upload het logo op de pagina Bestuursgegevens; daar wordt het gecontroleerd."),
            code="invalid_logo",
        )


def darkened(colour: str, share: float) -> str:
    """The colour mixed with `share` (0-1) black."""
    red, green, blue = (round(int(colour[i : i + 2], 16) * (1 - share)) for i in (1, 3, 5))
    return f"#{red:02x}{green:02x}{blue:02x}"


def readable_on_white(colour: str) -> str:
    """The colour itself when text in it on white (and white on it) reaches AA, else the
    lightest darker shade that does. The settings refuse a colour that is too light, but the
    stylesheet's URL takes any colour, and a colour may have been saved before that check."""
    share = 0.0
    while contrast_ratio(darkened(colour, share), WHITE) < MINIMUM_CONTRAST:
        share += 0.05
    return darkened(colour, share)


def colour_css(colour: str) -> str:
    """The stylesheet that gives the page its house colour (the app's CSP allows no inline
    style). Built from a checked colour only. On the public pages the links and buttons take
    the colour too: the Utrecht components' tokens, set on the page's main element."""
    if not COLOUR.match(colour):
        raise ValueError(colour)
    colour = readable_on_white(colour)
    hover = darkened(colour, 0.2)
    tokens = {
        "--utrecht-link-color": colour,
        "--utrecht-link-hover-color": hover,
        "--utrecht-link-visited-color": colour,
        "--utrecht-button-primary-action-background-color": colour,
        "--utrecht-button-primary-action-border-color": colour,
        "--utrecht-button-primary-action-color": WHITE,
        "--utrecht-button-primary-action-hover-background-color": hover,
        "--utrecht-button-primary-action-hover-border-color": hover,
    }
    declarations = " ".join(f"{name}: {value};" for name, value in tokens.items())
    return f":root {{ --huiskleur: {colour}; }}\nmain.public {{ {declarations} }}\n"


def _load_whole(image: Image.Image) -> None:
    """Decode all pixels, refusing a cut-off file. WeasyPrint switches Pillow to accept
    truncated images for the whole process (weasyprint/images.py); a logo must be whole."""
    accepted = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = accepted


def logo_reencoded(upload) -> ContentFile:
    """The uploaded logo as a fresh PNG or JPEG of at most LOGO_MAX_SIDE pixels a side, named by
    its content. Raises ValidationError (in Dutch) for anything else."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(LOGO_REFUSED, code="logo_too_large")
    upload.seek(0)
    try:
        # Only these two decoders are tried, whatever the file is called.
        with Image.open(upload, formats=["PNG", "JPEG"]) as image:
            width, height = image.size
            if width * height > LOGO_MAX_SOURCE_PIXELS:
                raise ValidationError(LOGO_REFUSED, code="logo_too_many_pixels")
            _load_whole(image)
            source_format = image.format
            keeps_transparency = image.mode in ("RGBA", "LA", "P", "PA") or (
                "transparency" in image.info
            )
            pixels = image.convert("RGBA" if keeps_transparency else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(LOGO_REFUSED, code="logo_unreadable") from None
    # Bare pixels into a new image: metadata (EXIF, ICC, text chunks) stays behind.
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    clean.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    output = io.BytesIO()
    if source_format == "JPEG" and not keeps_transparency:
        clean.save(output, format="JPEG", quality=88)
        extension = "jpg"
    else:
        clean.save(output, format="PNG", optimize=True)
        extension = "png"
    data = output.getvalue()
    return ContentFile(data, name=f"{hashlib.sha256(data).hexdigest()}.{extension}")


def logo_store(logo: ContentFile) -> str:
    """Store a re-encoded logo once; returns its name in the storage. An equal logo that is
    already there is reused, so the name keeps meaning this content."""
    name = f"{LOGO_DIRECTORY}/{logo.name}"
    if not default_storage.exists(name):
        stored = default_storage.save(name, logo)
        if stored != name:  # a storage that renamed it would break the content address
            raise RuntimeError(f"logo stored as {stored}, not {name}")
    return name


def logo_read(name: str) -> tuple[bytes, str] | None:
    """The bytes and content type of a stored logo, by the name a page links to; None for any
    other name. The content type comes from our own re-encoding, never from the request."""
    match = LOGO_NAME.match(name)
    if match is None:
        return None
    path = f"{LOGO_DIRECTORY}/{name}"
    try:
        with default_storage.open(path, "rb") as file:
            return file.read(), LOGO_CONTENT_TYPES[match.group(1)]
    except FileNotFoundError:
        return None
