"""Draw the hub's own pictures as small SVG files: a cover for each Smart Cities Study edition and an
illustration for each category, geometric, in the colours of theme/static/css/hub.css.

    .venv/bin/python tools/draw_artwork.py        # writes content/images/covers/ and categories/

The files are kept in the repository; run this again after changing a drawing (the output is the
same bytes every time). Their alt texts are in content/editions.toml and content/taxonomy.toml.
No script, no external reference, no font file: text uses the reader's sans-serif.
"""

import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COVERS = ROOT / "content" / "images" / "covers"
CATEGORIES = ROOT / "content" / "images" / "categories"

BRAND, BRAND_DARK, INK, ACCENT = "#0b4f6c", "#083a50", "#1b1f24", "#b3261e"
SUN, WHITE, WASH, LINE = "#ffd166", "#ffffff", "#f2f5f7", "#d5dde3"
TINT, PALE = "#3d7a95", "#9cc3d5"  # the brand lightened, for shapes behind shapes
FONT = "system-ui,-apple-system,'Segoe UI',Roboto,'Liberation Sans',Arial,sans-serif"


def n(value):
    """A coordinate as short as it can be written."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg(width, height, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}">{body}</svg>\n')


def polygon(points, **attributes):
    return element("polygon", points=" ".join(f"{n(x)},{n(y)}" for x, y in points), **attributes)


def element(name, **attributes):
    text = " ".join(f'{key.rstrip("_").replace("_", "-")}="{value}"' for key, value in attributes.items())
    return f"<{name} {text}/>"


# --- covers: 300×400, the motif above, the title below --------------------------------------------
def cover(year, background, motif):
    subtitle = "#ffe3e0" if background == ACCENT else PALE  # the pale blue is too faint on red
    body = [element("rect", width=300, height=400, fill=background), motif,
            element("rect", x=30, y=292, width=48, height=5, fill=SUN),
            f'<text x="30" y="326" fill="{subtitle}" font-family="{FONT}" font-size="17" font-weight="700" '
            f'letter-spacing="1.5">SMART CITIES STUDY</text>',
            f'<text x="28" y="374" fill="{WHITE}" font-family="{FONT}" font-size="50" font-weight="800">{year}</text>']
    return svg(300, 400, "".join(body))


def six_axes():
    """2012: the six axes of a holistic approach, around a hexagon."""
    cx, cy, r = 150, 140, 92
    points = [(cx + r * math.cos(math.radians(60 * i - 90)), cy + r * math.sin(math.radians(60 * i - 90)))
              for i in range(6)]
    parts = [polygon(points, fill="none", stroke=TINT, stroke_width=3)]
    parts += [element("line", x1=cx, y1=cy, x2=n(x), y2=n(y), stroke=PALE, stroke_width=2) for x, y in points]
    colours = (SUN, WHITE, PALE, SUN, WHITE, PALE)
    parts += [element("circle", cx=n(x), cy=n(y), r=13, fill=colour) for (x, y), colour in zip(points, colours)]
    parts.append(element("circle", cx=cx, cy=cy, r=20, fill=WHITE))
    return "".join(parts)


def growing_grid():
    """2017: innovation and talent, a grid of squares filling up in a rising line."""
    parts = []
    for row in range(5):
        for column in range(6):
            x, y = 36 + column * 39, 52 + row * 39
            if row >= 4 - column * 4 // 5:
                fill = SUN if row == 4 - column * 4 // 5 else TINT
                parts.append(element("rect", x=x, y=y, width=30, height=30, rx=4, fill=fill))
            else:
                parts.append(element("rect", x=x + 1, y=y + 1, width=28, height=28, rx=4, fill="none",
                                     stroke=TINT, stroke_width=2))
    return "".join(parts)


def open_network():
    """2019: smart governance, an open circle of nodes joined to a centre and to each other."""
    cx, cy, r = 150, 145, 90
    points = [(cx + r * math.cos(math.radians(45 * i - 90)), cy + r * math.sin(math.radians(45 * i - 90)))
              for i in range(8)]
    parts = [f'<path d="M{n(points[1][0])} {n(points[1][1])}A{r} {r} 0 1 1 {n(points[7][0])} {n(points[7][1])}" '
             f'fill="none" stroke="{TINT}" stroke-width="3"/>']
    parts += [element("line", x1=cx, y1=cy, x2=n(x), y2=n(y), stroke=PALE, stroke_width=2)
              for index, (x, y) in enumerate(points) if index % 2 == 0]
    parts += [element("circle", cx=n(x), cy=n(y), r=11 if index % 2 else 14,
                      fill=SUN if index == 0 else (WHITE if index % 2 == 0 else PALE))
              for index, (x, y) in enumerate(points)]
    parts.append(element("circle", cx=cx, cy=cy, r=22, fill=WHITE))
    parts.append(element("circle", cx=cx, cy=cy, r=9, fill=INK))
    return "".join(parts)


def resilient_rings():
    """2021: resilience, rings spreading out from a steady centre, a line rising after a fall."""
    cx, cy = 150, 140
    parts = [element("circle", cx=cx, cy=cy, r=r, fill="none", stroke=colour, stroke_width=width)
             for r, colour, width in ((100, "#c9574f", 2), (76, "#d9807a", 3), (52, "#f0b8b3", 4))]
    parts.append(element("circle", cx=cx, cy=cy, r=26, fill=SUN))
    parts.append('<path d="M40 200L95 150L130 215L175 120L210 150L262 62" fill="none" stroke="#ffffff" '
                 'stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>')
    return "".join(parts)


EDITIONS = {2012: (BRAND, six_axes), 2017: (BRAND_DARK, growing_grid), 2019: (INK, open_network),
            2021: (ACCENT, resilient_rings)}


# --- categories: 160×120 on the wash ---------------------------------------------------------------
def category(*parts):
    return svg(160, 120, element("rect", width=160, height=120, rx=12, fill=WASH) + "".join(parts))


def studies():
    """Bars of a chart and a magnifying glass over them."""
    bars = [element("rect", x=26 + i * 22, y=96 - h, width=16, height=h, fill=colour)
            for i, (h, colour) in enumerate(((30, TINT), (52, BRAND), (40, TINT), (66, BRAND)))]
    return category(*bars, element("line", x1=20, y1=97, x2=118, y2=97, stroke=INK, stroke_width=3),
                    element("circle", cx=112, cy=46, r=20, fill="none", stroke=ACCENT, stroke_width=6),
                    element("line", x1=126, y1=60, x2=142, y2=78, stroke=ACCENT, stroke_width=8,
                            stroke_linecap="round"))


def publications():
    """Two documents, the front one with a folded corner and lines of text."""
    lines = [element("rect", x=72, y=y, width=w, height=5, rx=2, fill=PALE)
             for y, w in ((44, 44), (56, 50), (68, 38), (80, 48))]
    return category(element("rect", x=38, y=16, width=66, height=86, rx=4, fill=PALE),
                    polygon([(60, 26), (112, 26), (128, 42), (128, 106), (60, 106)], fill=BRAND),
                    polygon([(112, 26), (128, 42), (112, 42)], fill=TINT), *lines,
                    element("rect", x=72, y=33, width=22, height=5, rx=2, fill=SUN))


def calls():
    """A megaphone calling out."""
    return category(polygon([(34, 50), (84, 30), (84, 90), (34, 70)], fill=BRAND),
                    element("rect", x=22, y=48, width=16, height=24, rx=3, fill=BRAND_DARK),
                    polygon([(44, 70), (58, 70), (62, 94), (50, 94)], fill=TINT),
                    f'<path d="M100 44Q110 60 100 76M112 34Q128 60 112 86M124 24Q146 60 124 96" fill="none" '
                    f'stroke="{ACCENT}" stroke-width="5" stroke-linecap="round"/>')


def events():
    """A calendar page with one day marked."""
    days = []
    for row in range(3):
        for column in range(5):
            x, y = 40 + column * 17, 52 + row * 16
            marked = (row, column) == (1, 3)
            days.append(element("rect", x=x, y=y, width=12, height=11, rx=2, fill=SUN if marked else LINE))
    return category(element("rect", x=30, y=22, width=100, height=84, rx=8, fill=WHITE, stroke=BRAND, stroke_width=3),
                    element("rect", x=30, y=22, width=100, height=22, rx=8, fill=BRAND),
                    element("rect", x=30, y=34, width=100, height=10, fill=BRAND),
                    element("rect", x=52, y=14, width=6, height=16, rx=3, fill=BRAND_DARK),
                    element("rect", x=102, y=14, width=6, height=16, rx=3, fill=BRAND_DARK), *days,
                    element("circle", cx=97, cy=74, r=11, fill="none", stroke=ACCENT, stroke_width=3))


def news():
    """A news sheet with a headline, columns and a picture, and a signal going out."""
    column_lines = [element("rect", x=x, y=y, width=26, height=4, rx=2, fill=LINE)
                    for x in (30, 62) for y in (62, 72, 82, 92)]
    return category(element("rect", x=20, y=18, width=100, height=88, rx=6, fill=WHITE, stroke=BRAND, stroke_width=3),
                    element("rect", x=30, y=30, width=62, height=9, rx=2, fill=BRAND),
                    element("rect", x=30, y=45, width=40, height=6, rx=2, fill=TINT), *column_lines,
                    element("rect", x=96, y=62, width=14, height=34, rx=2, fill=SUN),
                    f'<path d="M128 34Q140 46 128 58M136 24Q154 46 136 68" fill="none" stroke="{ACCENT}" '
                    f'stroke-width="5" stroke-linecap="round"/>')


CATEGORY_DRAWINGS = {"studies": studies, "publications": publications, "calls": calls, "events": events,
                     "news": news}


def drawings():
    """{path under the project: SVG text} of every picture."""
    found = {COVERS / f"{year}.svg": cover(year, background, motif()) for year, (background, motif) in EDITIONS.items()}
    found.update({CATEGORIES / f"{name}.svg": drawing() for name, drawing in CATEGORY_DRAWINGS.items()})
    return {path.relative_to(ROOT).as_posix(): text for path, text in found.items()}


def main():
    for relative, text in drawings().items():
        path = ROOT / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"{relative}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
