"""Pages of a PDF as GDAL's PDF driver renders them, and how many pixels of each page are near a colour.

    /usr/bin/python3 pdf_colours.py FILE.pdf RRGGBB [RRGGBB ...] [--dpi 60]

Prints JSON: {"pages": N, "colours": {"d81b60": [pixels on page 1, page 2, ...], ...}}. It measures; the test decides.
"""
import json
import sys

from osgeo import gdal

gdal.UseExceptions()


def main(argv):
    dpi = "60"
    if "--dpi" in argv:
        i = argv.index("--dpi")
        dpi = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    path, colours = argv[0], argv[1:]
    gdal.SetConfigOption("GDAL_PDF_DPI", dpi)
    first = gdal.Open(path)
    subdatasets = [name for key, name in (first.GetMetadata("SUBDATASETS") or {}).items() if key.endswith("_NAME")]
    pages = subdatasets or [path]
    counts = {c: [] for c in colours}
    for page in pages:
        ds = gdal.Open(page)
        bands = [ds.GetRasterBand(b + 1).ReadAsArray().astype("int32") for b in range(3)]
        for c in colours:
            rgb = [int(c[i:i + 2], 16) for i in (0, 2, 4)]
            near = (abs(bands[0] - rgb[0]) <= 24) & (abs(bands[1] - rgb[1]) <= 24) & (abs(bands[2] - rgb[2]) <= 24)
            counts[c].append(int(near.sum()))
    print(json.dumps({"pages": len(pages), "colours": counts}))


if __name__ == "__main__":
    main(sys.argv[1:])
