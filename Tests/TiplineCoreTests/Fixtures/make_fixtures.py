#!/usr/bin/env python3
"""DEV-ONLY generator for the ImageSanitizer test fixtures.

The tests never run this script: they read the committed output files. It is kept
so the fixtures can be regenerated or extended. Requirements (dev machine only):

    pip install pillow piexif
    python3 Tests/TiplineCoreTests/Fixtures/make_fixtures.py

Every identifying value planted in a fixture contains the word "Canary" (or is the
string "SecretCameraSerial123"), so the tests can check for leaks by substring.
Output is deterministic for a given Pillow/libjpeg/libwebp build; each file stays
well under 20 KB.
"""

import io
import math
import os
import struct
import zlib

import piexif
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

HERE = os.path.dirname(os.path.abspath(__file__))

SERIAL = "SecretCameraSerial123"
XMP_PACKET = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    b' xmp:CreatorTool="CanaryXMPTool" dc:creator="CanaryXMPAuthor"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def pattern(size, mode="RGB", phase=0.0):
    """A smooth, deterministic test pattern (compresses small, decodes recognisably)."""
    w, h = size
    im = Image.new(mode, size)
    px = im.load()
    for y in range(h):
        for x in range(w):
            r = int(127 + 120 * math.sin((x + phase) / 5.0))
            g = int(127 + 120 * math.cos((y - phase) / 7.0))
            b = (x * 7 + y * 3) % 256
            if mode == "RGB":
                px[x, y] = (r, g, b)
            elif mode == "RGBA":
                px[x, y] = (r, g, b, 255 if (x + y) % 9 else 96)
            elif mode == "CMYK":
                px[x, y] = (r, g, b, (x * y) % 64)
    return im


def thumbnail_jpeg():
    """The EXIF IFD1 thumbnail: itself a JPEG, with its own canary comment."""
    buf = io.BytesIO()
    pattern((16, 12)).save(buf, "JPEG", quality=50, comment=b"CanaryThumbnailComment")
    return buf.getvalue()


def exif_bytes(with_thumbnail=False):
    zeroth = {
        piexif.ImageIFD.Make: b"CanaryMake",
        piexif.ImageIFD.Model: b"CanaryModel",
        piexif.ImageIFD.Artist: b"CanaryArtist",
        piexif.ImageIFD.Software: b"CanarySoftware 1.0",
        piexif.ImageIFD.DateTime: b"2024:05:17 13:37:42",
    }
    exif = {
        piexif.ExifIFD.BodySerialNumber: SERIAL.encode(),
        piexif.ExifIFD.CameraOwnerName: b"CanaryOwner",
        piexif.ExifIFD.LensSerialNumber: b"CanaryLensSerial",
        piexif.ExifIFD.DateTimeOriginal: b"2024:05:17 13:37:42",
    }
    gps = {
        piexif.GPSIFD.GPSLatitudeRef: b"N",
        piexif.GPSIFD.GPSLatitude: ((52, 1), (31, 1), (1234, 100)),
        piexif.GPSIFD.GPSLongitudeRef: b"E",
        piexif.GPSIFD.GPSLongitude: ((13, 1), (24, 1), (5678, 100)),
        piexif.GPSIFD.GPSProcessingMethod: b"ASCII\x00\x00\x00CanaryGPSMethod",
        piexif.GPSIFD.GPSDateStamp: b"2024:05:17",
    }
    data = {"0th": zeroth, "Exif": exif, "GPS": gps}
    if with_thumbnail:
        data["1st"] = {
            piexif.ImageIFD.Compression: 6,
            piexif.ImageIFD.XResolution: (72, 1),
            piexif.ImageIFD.YResolution: (72, 1),
        }
        data["thumbnail"] = thumbnail_jpeg()
    return piexif.dump(data)  # TIFF data preceded by "Exif\0\0"


def icc_profile():
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # LittleCMS stamps the creation time into the header (bytes 24..35), which would make
    # the fixtures change on every run. Pin it, and zero the profile ID (bytes 84..99,
    # an MD5 that covers the date) since all-zero means "not computed" per ICC.1.
    icc[24:36] = struct.pack(">6H", 2024, 5, 17, 13, 37, 42)
    icc[84:100] = bytes(16)
    return bytes(icc)


# ---------------------------------------------------------------- JPEG helpers

def jpeg_segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_split(data):
    """Returns (list of (marker, payload) header segments, rest starting at the first SOS)."""
    assert data[:2] == b"\xff\xd8"
    pos, segs = 2, []
    while True:
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        if marker == 0xDA:
            return segs, data[pos:]
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        segs.append((marker, data[pos + 4:pos + 2 + length]))
        pos += 2 + length


def jpeg_join(segs, rest, fill_before=()):
    out = bytearray(b"\xff\xd8")
    for i, (marker, payload) in enumerate(segs):
        if i in fill_before:
            out += b"\xff\xff"  # legal fill bytes before a marker
        out += jpeg_segment(marker, payload)
    return bytes(out + rest)


def jfif_with_thumbnail(payload):
    # Keep identifier/version/units/density, append a 4x1 RGB thumbnail (12 bytes).
    return payload[:12] + bytes([4, 1]) + b"CanaryThumb!"


def photoshop_iptc():
    # IPTC-IIM record 2: 2:80 By-line, 2:116 Copyright.
    iptc = b""
    for dataset, value in ((80, b"CanaryIPTCByline"), (116, b"CanaryIPTCCopyright")):
        iptc += bytes([0x1C, 2, dataset]) + struct.pack(">H", len(value)) + value
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    if len(iptc) % 2:
        resource += b"\x00"
    return b"Photoshop 3.0\x00" + resource


def extended_xmp():
    data = b"<x:xmpmeta>CanaryExtendedXMP</x:xmpmeta>"
    return (b"http://ns.adobe.com/xmp/extension/\x00" + b"0" * 32
            + struct.pack(">II", len(data), 0) + data)


def make_baseline_jpeg():
    buf = io.BytesIO()
    pattern((48, 32)).save(buf, "JPEG", quality=75, exif=exif_bytes(with_thumbnail=True),
                           icc_profile=icc_profile(), restart_marker_rows=1)
    segs, rest = jpeg_split(buf.getvalue())
    assert segs[0][0] == 0xE0
    segs[0] = (0xE0, jfif_with_thumbnail(segs[0][1]))
    extra = [
        (0xE0, b"JFXX\x00\x10" + b"CanaryJFXXThumbnail"),
        (0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP_PACKET),
        (0xE1, extended_xmp()),
        (0xE2, b"MPF\x00" + b"II*\x00" + b"CanaryMPF"),
        (0xED, photoshop_iptc()),
        (0xEF, b"CanaryAPP15"),
        (0xFE, b"CanaryComment " + SERIAL.encode()),
    ]
    segs = segs[:1] + extra + segs[1:]
    data = jpeg_join(segs, rest, fill_before=(3, len(segs) - 1))
    # Phones append secondary images (MPF, depth maps) after EOI; so do we.
    return data + b"CanaryTrailer" + thumbnail_jpeg()


def make_progressive_jpeg():
    buf = io.BytesIO()
    pattern((40, 40), phase=3.0).save(buf, "JPEG", quality=70, progressive=True,
                                      exif=exif_bytes(), comment=b"CanaryProgressiveComment")
    segs, rest = jpeg_split(buf.getvalue())
    segs.insert(1, (0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP_PACKET))
    return jpeg_join(segs, rest)


def make_cmyk_jpeg():
    # libjpeg writes an APP14 "Adobe" segment for CMYK, which must survive stripping.
    buf = io.BytesIO()
    pattern((24, 24), mode="CMYK").save(buf, "JPEG", quality=70, exif=exif_bytes())
    return buf.getvalue()


# ---------------------------------------------------------------- PNG helpers

def png_chunk(ctype, data):
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)


def png_chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, out = 8, []
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        out.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return out


def png_join(chunks):
    return b"\x89PNG\r\n\x1a\n" + b"".join(png_chunk(t, d) for t, d in chunks)


def png_text_info():
    info = PngInfo()
    info.add_text("Author", "CanaryPNGAuthor " + SERIAL)
    info.add_text("CanaryZipKeyword", "compressed secret", zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP_PACKET.decode("utf-8"), lang="", tkey="")
    return info


def make_png():
    buf = io.BytesIO()
    pattern((32, 24)).save(buf, "PNG", pnginfo=png_text_info(), exif=exif_bytes(),
                           icc_profile=icc_profile(), dpi=(300, 300))
    chunks = png_chunks(buf.getvalue())
    out = []
    for ctype, data in chunks:
        if ctype == b"IHDR":
            out.append((ctype, data))
            out.append((b"gAMA", struct.pack(">I", 45455)))
            out.append((b"tIME", struct.pack(">HBBBBB", 2024, 5, 17, 13, 37, 42)))
            out.append((b"prVt", b"CanaryPrivateChunk"))
        elif ctype == b"IDAT":
            # Split the image data over two IDAT chunks to exercise concatenation.
            half = len(data) // 2
            out.append((ctype, data[:half]))
            out.append((ctype, data[half:]))
            out.append((b"tEXt", b"Comment\x00CanaryAfterIDAT"))
        else:
            out.append((ctype, data))
    return png_join(out) + b"CanaryAfterIEND"


def make_palette_png():
    im = pattern((20, 20)).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    buf = io.BytesIO()
    im.save(buf, "PNG", transparency=0, pnginfo=png_text_info())
    return buf.getvalue()


def make_apng():
    frames = [pattern((20, 16), phase=p) for p in (0.0, 6.0)]
    buf = io.BytesIO()
    frames[0].save(buf, "PNG", save_all=True, append_images=frames[1:], duration=200, loop=0,
                   pnginfo=png_text_info(), default_image=False)
    return buf.getvalue()


# ---------------------------------------------------------------- WebP helpers

def riff_chunks(data):
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    pos, out = 12, []
    while pos < len(data):
        tag = data[pos:pos + 4]
        size = struct.unpack("<I", data[pos + 4:pos + 8])[0]
        out.append((tag, data[pos + 8:pos + 8 + size]))
        pos += 8 + size + (size & 1)
    return out


def riff_chunk(tag, data):
    return tag + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def riff_join(chunks):
    body = b"".join(riff_chunk(t, d) for t, d in chunks)
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body


def make_lossy_webp():
    buf = io.BytesIO()
    pattern((32, 24)).save(buf, "WEBP", quality=60)
    return buf.getvalue()


def make_extended_webp():
    buf = io.BytesIO()
    pattern((32, 24), mode="RGBA").save(buf, "WEBP", quality=60, exif=exif_bytes(), xmp=XMP_PACKET,
                                        icc_profile=icc_profile())
    chunks = riff_chunks(buf.getvalue())
    # An unknown chunk with an odd size exercises padding and the allowlist.
    chunks.append((b"CNRY", b"CanaryUnknownChunk!"))
    return riff_join(chunks)


def make_animated_webp():
    frames = [pattern((16, 16), phase=p) for p in (0.0, 5.0)]
    buf = io.BytesIO()
    frames[0].save(buf, "WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0,
                   lossless=True, exif=exif_bytes(), xmp=XMP_PACKET)
    chunks = riff_chunks(buf.getvalue())
    out = []
    for tag, data in chunks:
        if tag == b"ANMF":
            # Unknown sub-chunks are allowed inside a frame; one carries a canary.
            data = data + riff_chunk(b"CNRY", b"CanaryInsideFrame")
        out.append((tag, data))
    return riff_join(out)


FIXTURES = {
    "baseline.jpg": make_baseline_jpeg,
    "progressive.jpg": make_progressive_jpeg,
    "cmyk-adobe.jpg": make_cmyk_jpeg,
    "metadata.png": make_png,
    "palette.png": make_palette_png,
    "animated.png": make_apng,
    "lossy.webp": make_lossy_webp,
    "extended.webp": make_extended_webp,
    "animated.webp": make_animated_webp,
}

if __name__ == "__main__":
    for name, make in FIXTURES.items():
        data = make()
        assert len(data) < 20 * 1024, (name, len(data))
        Image.open(io.BytesIO(data)).load()  # the fixture itself must decode
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")
