#!/usr/bin/env python3
"""Generate Proximus's geographic data from Natural Earth and ISO 3166-1.

Outputs (paths relative to the repository root):

* Sources/Content/Geography/CountryTable.swift -- every ISO 3166-1 country with
  French and English names and a rough bounding box;
* themes/default/assets/world.svg -- a small world map (one <g id="land">), used by
  map and locality pages through <use href="…world.svg#land">
  (one <path> per country) in an equirectangular projection, viewBox 0 0 1000 500.

Requirements: Python 3.9+, `pip install pyshp pycountry`, and `pip` itself to
fetch the geopandas 0.14.4 wheel (only its bundled Natural Earth data is used;
geopandas is never installed or imported). See README.md beside this script.

Usage:
    python3 scripts/geodata/make-geodata.py [--wheel PATH] [--tolerance PX]
"""

from __future__ import annotations

import argparse
import gettext
import glob
import io
import math
import os
import subprocess
import sys
import tempfile
import zipfile

import pycountry
import shapefile  # pyshp

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SWIFT_OUT = os.path.join(ROOT, "Sources", "Content", "Geography", "CountryTable.swift")
SVG_OUT = os.path.join(ROOT, "themes", "default", "assets", "world.svg")

GEOPANDAS_WHEEL = "geopandas==0.14.4"
DATASET = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"

# Natural Earth features whose iso_a3 is -99 (or absent) in some releases.
ISO3_BY_NAME = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX"}

# Natural Earth features that are not ISO 3166-1 countries but lie within one:
# they are merged into that country (bounds and map outline).
MERGE_INTO = {"CYN": "CYP", "SOL": "SOM"}  # Northern Cyprus, Somaliland

# English names: pycountry's `common_name` is used when it has one; then these.
NAME_EN = {
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "SX": "Sint Maarten",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "VN": "Vietnam",
}

# French names: pycountry's gettext catalogue, then these common short forms.
NAME_FR = {
    "AX": "Îles Åland",
    "BN": "Brunei",
    "BO": "Bolivie",
    "BY": "Biélorussie",
    "CC": "Îles Cocos",
    "CX": "Île Christmas",
    "FK": "Îles Malouines",
    "FM": "Micronésie",
    "GL": "Groenland",
    "GQ": "Guinée équatoriale",
    "IR": "Iran",
    "KP": "Corée du Nord",
    "KR": "Corée du Sud",
    "LA": "Laos",
    "MD": "Moldavie",
    "MF": "Saint-Martin",
    "MO": "Macao",
    "PS": "Palestine",
    "RE": "La Réunion",
    "RU": "Russie",
    "SB": "Îles Salomon",
    "SR": "Suriname",
    "SX": "Sint Maarten",
    "SY": "Syrie",
    "TW": "Taïwan",
    "TZ": "Tanzanie",
    "VA": "Vatican",
    "VE": "Venezuela",
    "VI": "Îles Vierges des États-Unis",
}


# --------------------------------------------------------------------------
# Natural Earth data


def find_wheel(explicit: str | None) -> str:
    if explicit:
        return explicit
    cache = os.path.join(tempfile.gettempdir(), "proximus-geodata")
    found = glob.glob(os.path.join(cache, "geopandas-0.14.4-*.whl"))
    if not found:
        os.makedirs(cache, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", GEOPANDAS_WHEEL, "-d", cache],
            check=True,
        )
        found = glob.glob(os.path.join(cache, "geopandas-0.14.4-*.whl"))
    if not found:
        sys.exit("could not obtain the geopandas 0.14.4 wheel")
    return found[0]


def read_natural_earth(wheel: str) -> dict[str, list[list[tuple[float, float]]]]:
    """Returns the rings (lists of (lon, lat)) of each feature, keyed by ISO alpha-3."""
    with zipfile.ZipFile(wheel) as z:
        files = {ext: io.BytesIO(z.read(f"{DATASET}.{ext}")) for ext in ("shp", "shx", "dbf")}
        encoding = z.read(f"{DATASET}.cpg").decode("ascii").strip() or "utf-8"
    reader = shapefile.Reader(
        shp=files["shp"], shx=files["shx"], dbf=files["dbf"], encoding=encoding
    )
    rings_by_iso3: dict[str, list[list[tuple[float, float]]]] = {}
    for shape_record in reader.iterShapeRecords():
        record = shape_record.record.as_dict()
        iso3 = str(record.get("iso_a3", "")).strip()
        if len(iso3) != 3 or not iso3.isalpha():
            iso3 = ISO3_BY_NAME.get(record["name"], "")
        if not iso3:
            print(f"warning: no ISO code for {record['name']}, skipped", file=sys.stderr)
            continue
        iso3 = MERGE_INTO.get(iso3, iso3)
        shape = shape_record.shape
        bounds = list(shape.parts) + [len(shape.points)]
        for start, end in zip(bounds, bounds[1:]):
            ring = [(float(x), float(y)) for x, y in shape.points[start:end]]
            rings_by_iso3.setdefault(iso3, []).append(ring)
    return rings_by_iso3


def signed_area(ring):
    area = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        area += x0 * y1 - x1 * y0
    return area / 2


def is_outer(ring) -> bool:
    # Shapefile outer rings are clockwise, i.e. negative signed area.
    return signed_area(ring) < 0


def ring_box(ring):
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def main_territory(alpha2: str, ring) -> bool:
    """Whether an outer ring counts towards the country's bounding box."""
    west, south, east, north = ring_box(ring)
    cx, cy = (west + east) / 2, (south + north) / 2
    if alpha2 == "FR":  # metropolitan France and Corsica only (not French Guiana)
        return -10 <= cx <= 15 and 40 <= cy <= 52
    if alpha2 == "NO":  # mainland Norway, not Svalbard
        return cy < 74
    if alpha2 == "US":  # contiguous states and Alaska, not Hawaii
        return not (cy < 25 and cx < -150)
    return True


def bounding_box(rings):
    """(west, south, east, north) of outer rings; west > east when crossing the antimeridian."""
    south = min(ring_box(r)[1] for r in rings)
    north = max(ring_box(r)[3] for r in rings)
    intervals = sorted((ring_box(r)[0], ring_box(r)[2]) for r in rings)
    if any(e - w >= 359 for w, e in intervals):
        return -180.0, south, 180.0, north
    merged = []
    for w, e in intervals:
        if merged and w <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([w, e])
    # The box is the complement of the widest gap between longitude intervals.
    best_gap = merged[0][0] + 360 - merged[-1][1]  # the gap across the antimeridian
    west, east = merged[0][0], merged[-1][1]
    for (_, e0), (w1, _) in zip(merged, merged[1:]):
        if w1 - e0 > best_gap:
            best_gap = w1 - e0
            west, east = w1, e0
    return west, south, east, north


def outward(value: float, up: bool) -> float:
    scaled = round(value * 10, 6)
    return (math.ceil(scaled) if up else math.floor(scaled)) / 10


def rounded_box(box):
    west, south, east, north = box
    return (
        max(-180.0, outward(west, False)),
        max(-90.0, outward(south, False)),
        min(180.0, outward(east, True)),
        min(90.0, outward(north, True)),
    )


# --------------------------------------------------------------------------
# ISO 3166-1 names


def countries():
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    result = []
    for country in pycountry.countries:
        code = country.alpha_2
        name_en = NAME_EN.get(code) or getattr(country, "common_name", None) or country.name
        name_fr = NAME_FR.get(code) or french.gettext(country.name)
        result.append((code, country.alpha_3, name_fr, name_en))
    return sorted(result)


# --------------------------------------------------------------------------
# Swift output


def swift_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def swift_number(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def write_swift(rows, rings_by_iso3) -> tuple[int, int]:
    lines = [
        "// Generated by scripts/geodata/make-geodata.py — do not edit.",
        "// Names: ISO 3166-1 via pycountry (LGPL-2.1), with short-form overrides.",
        "// Bounds: Natural Earth 1:110m admin 0 countries (public domain).",
        "",
        "extension Country {",
        "  /// Every ISO 3166-1 country: alpha-2 code, French and English names, and a rough bounding box",
        "  /// (degrees: west, south, east, north) from Natural Earth where it has the country.",
        "  static let table: [Country] = [",
    ]
    with_bounds = 0
    for code, alpha3, name_fr, name_en in rows:
        rings = [r for r in rings_by_iso3.get(alpha3, []) if is_outer(r) and main_territory(code, r)]
        if rings:
            with_bounds += 1
            w, s, e, n = (swift_number(v) for v in rounded_box(bounding_box(rings)))
            bounds = f"Bounds(west: {w}, south: {s}, east: {e}, north: {n})"
        else:
            bounds = "nil"
        fields = (
            f"code: {swift_string(code)}, nameFR: {swift_string(name_fr)},"
            f" nameEN: {swift_string(name_en)},"
        )
        one_line = f"    Country({fields} bounds: {bounds}),"
        if len(one_line) <= 100:
            lines.append(one_line)
        else:  # the layout swift-format keeps, so that `swift format lint --strict` passes
            lines += ["    Country(", f"      {fields}", f"      bounds: {bounds}),"]
    lines += ["  ]", "}", ""]
    # Keep every line within swift-format's 100 columns by splitting long name lines.
    out = []
    for line in lines:
        if len(line) > 100 and line.startswith("      code: "):
            head, _, tail = line.partition(" nameEN: ")
            out += [head, "      nameEN: " + tail]
        else:
            out.append(line)
    os.makedirs(os.path.dirname(SWIFT_OUT), exist_ok=True)
    with open(SWIFT_OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    return len(rows), with_bounds


# --------------------------------------------------------------------------
# SVG output


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180) / 360 * 1000, (90 - lat) / 180 * 500


def douglas_peucker(points, tolerance):
    """Simplifies an open polyline, keeping both end points."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - x0, py - y0)
            else:
                distance = abs(dy * (px - x0) - dx * (py - y0)) / length
            if distance > best:
                best, index = distance, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring, tolerance):
    """Simplifies a closed ring; returns None when it shrinks below a triangle."""
    points = [project(lon, lat) for lon, lat in ring]
    if points[0] == points[-1]:
        points = points[:-1]
    if len(points) < 3:
        return None
    # Split the closed ring at its first point and the point farthest from it.
    far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
    half1 = douglas_peucker(points[: far + 1], tolerance)
    half2 = douglas_peucker(points[far:] + points[:1], tolerance)
    simplified = half1[:-1] + half2[:-1]
    # Round to tenths (integer units of 0.1) and drop repeats.
    result = []
    for x, y in simplified:
        q = (round(x * 10), round(y * 10))
        if not result or result[-1] != q:
            result.append(q)
    if len(result) > 1 and result[0] == result[-1]:
        result.pop()
    if len(result) < 3:
        return None
    # Drop slivers that would be invisible (area below ~0.5 px²).
    if abs(signed_area(result)) / 100 < 0.5:
        return None
    return result


def number(tenths: int) -> str:
    """A coordinate in tenths of a unit, written as short as possible."""
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{frac}"


def join_numbers(numbers) -> str:
    text = ""
    for n in numbers:
        if text and not n.startswith("-"):
            # A leading "." after a number that already has one separates itself.
            if not (n.startswith(".") and "." in text.rsplit(" ", 1)[-1].split("-")[-1]):
                text += " "
        text += n
    return text


def ring_path(ring) -> str:
    x0, y0 = ring[0]
    parts = ["M" + join_numbers([number(x0), number(y0)])]
    command, args = None, []

    def flush():
        if command:
            parts.append(command + join_numbers(args))

    for (xa, ya), (xb, yb) in zip(ring, ring[1:]):
        dx, dy = xb - xa, yb - ya
        if dy == 0:
            cmd, values = "h", [number(dx)]
        elif dx == 0:
            cmd, values = "v", [number(dy)]
        else:
            cmd, values = "l", [number(dx), number(dy)]
        if cmd != command:
            flush()
            command, args = cmd, []
        args += values
    flush()
    return "".join(parts) + "z"


def write_svg(rows, rings_by_iso3, tolerance) -> int:
    alpha2_by_alpha3 = {alpha3: code for code, alpha3, _, _ in rows}
    paths = []
    for alpha3 in sorted(rings_by_iso3):
        if alpha3 == "ATA":
            continue
        rings = [simplify_ring(r, tolerance) for r in rings_by_iso3[alpha3]]
        d = "".join(ring_path(r) for r in rings if r)
        if not d:
            continue
        code = alpha2_by_alpha3.get(alpha3)
        attribute = f' data-cc="{code.lower()}"' if code else ""
        paths.append((code or "~" + alpha3, f'<path{attribute} d="{d}"/>'))
    paths.sort()
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 500">\n'
        '<g id="land" class="map-land">\n' + "\n".join(p for _, p in paths) + "\n</g>\n</svg>\n"
    )
    assert "{{" not in text and "{%" not in text
    os.makedirs(os.path.dirname(SVG_OUT), exist_ok=True)
    with open(SVG_OUT, "w", encoding="utf-8") as f:
        f.write(text)
    return len(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", help="path to a geopandas 0.14.x wheel (default: pip download)")
    parser.add_argument(
        "--tolerance", type=float, default=0.6, help="Douglas–Peucker tolerance, in map units"
    )
    options = parser.parse_args()
    rings_by_iso3 = read_natural_earth(find_wheel(options.wheel))
    rows = countries()
    total, with_bounds = write_swift(rows, rings_by_iso3)
    size = write_svg(rows, rings_by_iso3, options.tolerance)
    print(f"{os.path.relpath(SWIFT_OUT, ROOT)}: {total} countries, {with_bounds} with bounds")
    print(f"{os.path.relpath(SVG_OUT, ROOT)}: {size} bytes")
    if size > 45 * 1024:
        sys.exit("the outline exceeds 45 KB: raise --tolerance")


if __name__ == "__main__":
    main()
