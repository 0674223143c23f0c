"""A practice's logo and fonts, checked once when the practice is loaded.

A logo far larger than it prints is shrunk once, into the cache, so no handout pays
for it again; an absurd one is refused. Every file of a font family (regular, bold,
italic, bold italic) is tried by setting text with it, so a damaged bold font is a
``check`` error, not a failure of every handout.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path

LOGO_PIXELS = 1600
"""The longest side a logo needs: it prints at most about 7 cm wide, at 600 dpi."""
MAX_LOGO_PIXELS = 150_000_000
"""Pixels above which a logo is refused rather than shrunk (about 12,000 x 12,000)."""
FONT_STYLES = ("", "-Bold", "-Italic", "-BoldItalic")


class AssetProblem(Exception):
    """A logo or font that cannot be used; the message says why."""


def usable_logo(path: Path) -> Path:
    """``path``, or a shrunk copy of it in the cache; raises ``AssetProblem``."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            width, height = image.size
            kind = image.format
    except Exception:  # Pillow raises many kinds for a file that is not an image
        raise AssetProblem("not an image (expected PNG or JPEG)") from None
    if kind not in ("PNG", "JPEG"):
        raise AssetProblem(f"not a PNG or JPEG image (it is {kind})")
    if width * height > MAX_LOGO_PIXELS:
        raise AssetProblem(
            f"{width} x {height} pixels is far too large for a logo; "
            f"save it at most {LOGO_PIXELS} pixels wide"
        )
    if max(width, height) <= LOGO_PIXELS:
        return path
    return _shrunk(path)


def _shrunk(path: Path) -> Path:
    """A copy of the logo at most ``LOGO_PIXELS`` on its longest side, made once."""
    from PIL import Image

    from handouts import cache

    data = path.read_bytes()
    folder = cache.folder()
    name = hashlib.sha256(data).hexdigest()[:32] + ".png"
    if folder is not None and (folder / "logos" / name).is_file():
        return folder / "logos" / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, MAX_LOGO_PIXELS
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.draft("RGB", (LOGO_PIXELS, LOGO_PIXELS))  # JPEG: decode smaller
                image.thumbnail((LOGO_PIXELS, LOGO_PIXELS), reducing_gap=3.0)
                out = io.BytesIO()
                image.save(out, "PNG")
        except Exception:
            raise AssetProblem("not a readable image") from None
        finally:
            Image.MAX_IMAGE_PIXELS = saved
    if folder is None:
        return path  # no cache: print the large logo as it is
    from handouts.errors import OutputError
    from handouts.output import write_atomic

    try:
        (folder / "logos").mkdir(parents=True, exist_ok=True)
        return write_atomic(folder / "logos" / name, out.getvalue())
    except (OSError, OutputError):
        return path


def font_family(regular: Path) -> list[Path]:
    """The regular font file and the bold and italic ones beside it that exist."""
    stem = regular.stem.removesuffix("-Regular")
    files = [regular]
    for suffix in FONT_STYLES[1:]:
        sibling = regular.with_name(f"{stem}{suffix}.ttf")
        if sibling.exists() or sibling.is_symlink():
            files.append(sibling)
    return files


def check_font(path: Path) -> None:
    """Set a line of text in the font and write it out; raises ``AssetProblem``."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    name = "handouts-check-" + hashlib.sha256(str(path).encode()).hexdigest()[:12]
    try:
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        canvas = Canvas(io.BytesIO())
        canvas.setFont(name, 12)
        canvas.drawString(10, 10, "Call 999 now: Ana Müller, 31 weeks.")
        canvas.save()
    except Exception as exc:  # the TrueType parser raises many kinds for a bad file
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise AssetProblem(reason) from None
