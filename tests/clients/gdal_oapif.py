#!/usr/bin/python3
"""Read an OGC API - Features collection with GDAL's OAPIF driver (the one
behind `ogrinfo OAPIF:http://...` and `ogr2ogr`) and print ONE JSON object.

Usage (Debian's python, which has the osgeo module):

    /usr/bin/python3 gdal_oapif.py BASE_URL COLLECTION \
        [--page-size N] [--bbox minx,miny,maxx,maxy] [--gpkg] [--expect-count N] [--timeout S]

Checks: the dataset opens and lists the collection as a layer;
GetFeatureCount() (the server's numberMatched) equals the number of features
read by iterating (following `next` links); feature ids (parcel_id) are
distinct; with --bbox the spatial-filter read sends bbox= and returns fewer
features than the whole collection; with --gpkg, gdal.VectorTranslate (what
ogr2ogr does) writes a GeoPackage holding every feature. Exit code 0 when all
of that holds, 1 otherwise, 3 on timeout (e.g. a `next` link that never ends).
"""

import argparse
import faulthandler
import json
import os
import re
import sys
import tempfile
import threading

_lock = threading.Lock()
_printed = False


def emit(obj, code):
    global _printed
    with _lock:
        if not _printed:
            _printed = True
            sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
            sys.stdout.flush()
    os._exit(code)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("base_url")
    p.add_argument("collection")
    p.add_argument("--page-size", type=int, default=0, help="PAGE_SIZE open option (GDAL 3.6 default: 10)")
    p.add_argument("--bbox", default=None, help="minx,miny,maxx,maxy for a spatial-filter read")
    p.add_argument("--gpkg", action="store_true", help="also convert to a temporary GeoPackage (ogr2ogr)")
    p.add_argument("--where", default=None,
                   help="attribute filter (OGR SQL), e.g. \"scheme = 'preserved_woodland'\"; GDAL 3.6 turns "
                        "comparisons on Date/DateTime fields into datetime=... and id = '...' into /items/{id}")
    p.add_argument("--expect-where-count", type=int, default=None)
    p.add_argument("--expect-count", type=int, default=None)
    p.add_argument("--timeout", type=float, default=120.0)
    p.add_argument("--samples", type=int, default=5)
    return p.parse_args()


def main():
    args = parse_args()
    from osgeo import gdal, ogr
    gdal.UseExceptions()

    result = {
        "gdalVersion": gdal.__version__,
        "opened": False,
        "error": "",
        "layers": [],
        "featureCount": None,
        "iterated": None,
        "fields": [],
        "fieldTypes": {},
        "geometryType": None,
        "extent": None,
        "sampleIds": [],
        "requests": [],
        "gdalErrors": [],
    }
    phase = {"name": "open"}

    def on_timeout():
        result["error"] = f"timeout: no result after {args.timeout} s (paging loop or hung request?)"
        emit(result, 3)

    timer = threading.Timer(args.timeout, on_timeout)
    timer.daemon = True
    timer.start()
    faulthandler.dump_traceback_later(args.timeout + 15, exit=True)

    # Record every HTTP request (GDAL logs "HTTP: Fetch(url)" at debug level)
    # and every warning/error GDAL raises.
    fetch_re = re.compile(r"Fetch\((.*)\)$")

    def handler(err_class, err_no, msg):
        if err_class == gdal.CE_Debug:
            m = fetch_re.search(msg or "")
            if m:
                result["requests"].append(f"{phase['name']}: GET {m.group(1)}")
            return
        if err_class == gdal.CE_None:
            return
        result["gdalErrors"].append({"phase": phase["name"], "class": int(err_class), "no": int(err_no), "message": msg})

    gdal.SetConfigOption("CPL_DEBUG", "ON")
    gdal.PushErrorHandler(handler)

    open_options = []
    if args.page_size > 0:
        open_options.append(f"PAGE_SIZE={args.page_size}")
    source = "OAPIF:" + args.base_url.rstrip("/")
    result["source"] = source
    result["openOptions"] = open_options

    def open_ds():
        return gdal.OpenEx(source, gdal.OF_VECTOR | gdal.OF_READONLY, open_options=open_options)

    problems = []
    try:
        ds = open_ds()
    except RuntimeError as ex:
        result["error"] = f"open failed: {ex}"
        emit(result, 1)
    result["opened"] = True
    result["layers"] = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    lyr = ds.GetLayerByName(args.collection)
    if lyr is None:
        result["error"] = f"no layer {args.collection!r} (layers: {result['layers']})"
        emit(result, 1)

    defn = lyr.GetLayerDefn()
    result["fields"] = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    result["fieldTypes"] = {defn.GetFieldDefn(i).GetName(): defn.GetFieldDefn(i).GetTypeName()
                            for i in range(defn.GetFieldCount())}
    result["geometryType"] = ogr.GeometryTypeToName(defn.GetGeomType())
    result["featureCount"] = lyr.GetFeatureCount()
    ext = lyr.GetExtent()  # (minx, maxx, miny, maxy) in OGR order
    result["extent"] = [ext[0], ext[2], ext[1], ext[3]]

    phase["name"] = "iterate"
    ids = []
    no_geom = 0
    lyr.ResetReading()
    for f in lyr:
        ids.append(f.GetField("parcel_id") if "parcel_id" in result["fields"] else None)
        if f.GetGeometryRef() is None or f.GetGeometryRef().IsEmpty():
            no_geom += 1
    result["iterated"] = len(ids)
    result["distinctParcelIds"] = len(set(ids))
    result["featuresWithoutGeometry"] = no_geom
    result["sampleIds"] = ids[: args.samples]
    if len(ids) != result["featureCount"] or not ids:
        problems.append(f"iterated {len(ids)} features but GetFeatureCount() is {result['featureCount']}")
    if len(set(ids)) != len(ids):
        problems.append("duplicate parcel_id values while paging")
    if "parcel_id" not in result["fields"]:
        problems.append("no parcel_id field")

    if args.bbox:
        phase["name"] = "bbox"
        minx, miny, maxx, maxy = (float(v) for v in args.bbox.split(","))
        lyr.SetSpatialFilterRect(minx, miny, maxx, maxy)
        result["bboxFeatureCount"] = lyr.GetFeatureCount()
        phase["name"] = "bbox-iterate"
        lyr.ResetReading()
        bids = sorted(f.GetField("parcel_id") for f in lyr)
        result["bboxIterated"] = len(bids)
        result["bboxIds"] = bids
        lyr.SetSpatialFilter(None)
        if not (0 < len(bids) < len(ids)):
            problems.append(f"bbox read returned {len(bids)} of {len(ids)} features")
        if not any(r.startswith("bbox-iterate:") and "bbox=" in r for r in result["requests"]):
            problems.append("GDAL sent no bbox= request")

    if args.where:
        phase["name"] = "where"
        result["where"] = args.where
        try:
            lyr.SetAttributeFilter(args.where)
            lyr.ResetReading()
            wids = sorted(str(f.GetField("parcel_id")) for f in lyr)
        except RuntimeError as ex:
            wids = []
            problems.append(f"attribute filter failed: {ex}")
        result["whereIterated"] = len(wids)
        result["whereIds"] = wids
        lyr.SetAttributeFilter(None)
        if args.expect_where_count is not None and len(wids) != args.expect_where_count:
            problems.append(f"where returned {len(wids)} features, expected {args.expect_where_count}")

    if args.gpkg:
        phase["name"] = "ogr2ogr"
        out = os.path.join(tempfile.mkdtemp(prefix="oapif-gpkg-"), "out.gpkg")
        try:
            # Pass an opened dataset so the same open options (PAGE_SIZE) apply,
            # like `ogr2ogr -f GPKG out.gpkg OAPIF:... COLLECTION -oo PAGE_SIZE=N`.
            src = open_ds()
            gdal.VectorTranslate(out, src, format="GPKG", layers=[args.collection])
            src = None
        except RuntimeError as ex:
            problems.append(f"ogr2ogr to GPKG failed: {ex}")
        if os.path.exists(out):
            import shutil
            g = ogr.Open(out)
            gl = g.GetLayerByName(args.collection)
            gd = gl.GetLayerDefn()
            result["gpkg"] = {
                "featureCount": gl.GetFeatureCount(),
                "fieldTypes": {gd.GetFieldDefn(i).GetName(): gd.GetFieldDefn(i).GetTypeName()
                               for i in range(gd.GetFieldCount())},
            }
            if gl.GetFeatureCount() != len(ids):
                problems.append(f"GPKG holds {gl.GetFeatureCount()} features, expected {len(ids)}")
            g = None
            shutil.rmtree(os.path.dirname(out), ignore_errors=True)

    if args.expect_count is not None and result["featureCount"] != args.expect_count:
        problems.append(f"featureCount {result['featureCount']} != expected {args.expect_count}")
    failures = [e for e in result["gdalErrors"] if e["class"] >= gdal.CE_Failure]
    if failures:
        problems.append(f"{len(failures)} GDAL error(s)")

    result["error"] = "; ".join(problems)
    timer.cancel()
    faulthandler.cancel_dump_traceback_later()
    emit(result, 0 if not problems else 1)


if __name__ == "__main__":
    main()
