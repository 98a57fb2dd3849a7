"""What workflows.pdf keeps between renderings (security review of issue 20's caches): a scaled image is
cached by its file (path, time, size) behind the fetcher's gate, so a rendering is never served
another document's image, and the cache holds only scaled images, never a file's own bytes."""

import io
import threading

import pytest
from PIL import Image, PngImagePlugin

from workflows import pdf
from workflows.pdf import PRESCALE_PX, FetchRefused, LocalFileFetcher, prescaled


def png(width, height, colour, text_bytes=0) -> bytes:
    info = PngImagePlugin.PngInfo()
    if text_bytes:
        info.add_text("padding", "x" * text_bytes)  # a file far larger than its picture
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def test_the_cache_holds_no_file_that_needs_no_scaling(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "evidence").mkdir()
    padded = tmp_path / "evidence" / "padded.png"
    padded.write_bytes(png(100, 80, (1, 2, 3), text_bytes=2 * 1024 * 1024))
    broken = tmp_path / "evidence" / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 1024 * 1024)
    for path in (padded, broken):
        stat = path.stat()
        assert prescaled(path, stat.st_mtime_ns, stat.st_size) is None  # nothing of its 1-2 MB kept
        served = LocalFileFetcher([f"evidence/{path.name}"]).fetch(path.as_uri())
        assert served.read() == path.read_bytes()  # served as it is


def test_two_cases_images_of_the_same_name_are_each_served_to_their_own_document(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for case, colour in (("1", (255, 0, 0)), ("2", (0, 0, 255))):
        (tmp_path / case).mkdir()
        (tmp_path / case / "photo.png").write_bytes(png(PRESCALE_PX + 600, 900, colour))
    first, second = LocalFileFetcher(["1/photo.png"]), LocalFileFetcher(["2/photo.png"])
    seen = {}

    def render(name, fetcher, uri):
        with Image.open(io.BytesIO(fetcher.fetch(uri).read())) as image:
            seen[name] = image.convert("RGB").getpixel((10, 10))

    threads = [
        threading.Thread(target=render, args=(f"{name}-{n}", fetcher, (tmp_path / name / "photo.png").as_uri()))
        for n in range(4)
        for name, fetcher in (("1", first), ("2", second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n in range(4):  # red for case 1, blue for case 2 (JPEG: near enough)
        red, _, blue = seen[f"1-{n}"]
        assert red > 240 and blue < 15
        red, _, blue = seen[f"2-{n}"]
        assert blue > 240 and red < 15
    # the other case's photo, scaled and cached by now, is still refused to a document that does not name it
    with pytest.raises(FetchRefused):
        first.fetch((tmp_path / "2" / "photo.png").as_uri())
    assert pdf.prescaled.cache_info().currsize >= 2
