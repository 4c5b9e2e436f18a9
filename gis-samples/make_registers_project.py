#!/usr/bin/python3
"""Writes a QGIS project with the city's registers as HabitatRegistry serves them (OGC API - Features): the
designations coloured by scheme, the acquisitions by who owns the land (trust land hatched: recorded, but not
public ownership), the activities that have a place as points by kind, and the city boundary from
tokorozawa-boundary.geojson, in JGD2011 / Japan Plane Rectangular CS IX (EPSG:6677), opening on the city.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 gis-samples/make_registers_project.py \\
        [--url http://127.0.0.1:5080] [--authcfg ID] [-o gis-samples/registers.qgs]

The script reads the service without a key to learn each layer's type and extent, so the service must be running
and readable. --authcfg names a QGIS authentication configuration (Basic: any user name, the API key as password)
that the written layers send with every request, so that a planner can edit through them. Only write that into a
project of your own: QGIS 3.40 cannot load a layer whose authcfg is missing from the machine's authentication
database ("network request update failed for authentication config"), so a project naming one is empty elsewhere.
Needs a Python with QGIS's own module (Debian: /usr/bin/python3 with python3-qgis); made and tested with QGIS 3.40.
"""
import argparse
import atexit
import os
import re
import shutil
import sys
import tempfile
import zipfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# RegisterCatalogue.Schemes (the service's codes and their Japanese names), with Paul Tol's "muted" palette:
# distinct for colour-blind readers and in print; pale grey for "other".
SCHEMES = (
    ("special_green_conservation_district", "特別緑地保全地区", "#117733"),
    ("green_conservation_area", "緑地保全地域", "#44aa99"),
    ("suburban_green_conservation_zone", "近郊緑地保全区域", "#999933"),
    ("citizen_green_space", "市民緑地", "#88ccee"),
    ("preserved_woodland", "保存樹林", "#332288"),
    ("prefectural_landscape_green", "ふるさとの緑の景観地", "#ddcc77"),
    ("satoyama_conservation_area", "里山保全地域", "#cc6677"),
    ("nature_symbiosis_site", "自然共生サイト (OECM)", "#aa4499"),
    ("other", "その他", "#bbbbbb"),
)

# RegisterCatalogue.AcquiringBodies. Public owners get solid colours (Okabe-Ito, unlike the designations' muted
# ones, since acquisitions are drawn over them); trust land is only hatched, because it is not public land.
PUBLIC_OWNERS = (
    ("city", "市 city", "#d55e00"),
    ("prefecture", "県 prefecture", "#0072b2"),
    ("national", "国 national", "#009e73"),
)
TRUST = ("trust", "トラスト trust: 公有地ではない / not public land", "#4d4d4d")

# RegisterCatalogue.ActivityKinds, with ColorBrewer's Dark2 (print-friendly); grey for "other".
ACTIVITY_KINDS = (
    ("lecture", "自然や生きものを学ぶ講座（出前講座等）", "#1b9e77"),
    ("workshop", "団体等を対象にした生物多様性の講習会", "#d95f02"),
    ("support_case", "団体等の活動への支援（広報・補助・表彰・認定）", "#7570b3"),
    ("hands_on_event", "保全活動の体験機会", "#e7298a"),
    ("awareness_activity", "普及啓発活動（オンラインを含む）", "#66a61e"),
    ("forest_site", "生きものと子どもが集まる森づくり", "#e6ab02"),
    ("survey", "生きもの調査", "#a6761d"),
    ("other", "その他", "#666666"),
)

# The city's plane-rectangular zone: what its surveys and shapefiles use, in metres, so lengths, areas and the
# scale bar are true on the map (3857 would stretch them by 1/cos 35.8° ≈ 1.23).
PROJECT_CRS = "EPSG:6677"
BOUNDARY = "tokorozawa-boundary.geojson"


def layer_uri(url, collection, authcfg=None):
    from qgis.core import QgsDataSourceUri
    uri = QgsDataSourceUri()
    uri.setParam("url", url.rstrip("/"))
    uri.setParam("typename", collection)
    uri.setParam("pagingEnabled", "true")
    uri.setParam("pageSize", "1000")
    if authcfg:
        uri.setAuthConfigId(authcfg)
    return uri.uri(False)


def fill(colour, opacity=0.55, outline_width="0.3"):
    from qgis.core import QgsFillSymbol
    from PyQt5.QtGui import QColor
    translucent = QColor(colour)
    translucent.setAlphaF(opacity)  # overlapping schemes stay visible through each other
    return QgsFillSymbol.createSimple({"color": translucent.name(QColor.HexArgb), "outline_color": QColor(colour).darker(130).name(),
                                       "outline_width": outline_width})


def hatched(colour):
    """Diagonal lines and a dashed outline, no fill: land that is recorded but not publicly owned."""
    from qgis.core import QgsFillSymbol, QgsLinePatternFillSymbolLayer, QgsSimpleFillSymbolLayer
    symbol = QgsFillSymbol()
    symbol.changeSymbolLayer(0, QgsLinePatternFillSymbolLayer.create({"angle": "45", "distance": "1.2", "line_width": "0.25", "color": colour}))
    symbol.appendSymbolLayer(QgsSimpleFillSymbolLayer.create({"style": "no", "outline_color": colour, "outline_style": "dash", "outline_width": "0.5"}))
    return symbol


def marker_or_fill(geometry_type, colour):
    """Activities are points in the samples, but the register also takes areas: the symbol follows what QGIS found."""
    from qgis.core import QgsMarkerSymbol, QgsWkbTypes
    if geometry_type == QgsWkbTypes.PolygonGeometry:
        return fill(colour)
    return QgsMarkerSymbol.createSimple({"name": "circle", "color": colour, "size": "2.6", "outline_color": "#ffffff", "outline_width": "0.3"})


def categorised(field, categories):
    from qgis.core import QgsCategorizedSymbolRenderer, QgsRendererCategory
    return QgsCategorizedSymbolRenderer(field, [QgsRendererCategory(code, symbol, label) for code, label, symbol in categories])


def styled(layer, kind):
    if kind == "designations":
        layer.setRenderer(categorised("scheme", [(code, label, fill(colour)) for code, label, colour in SCHEMES]))
    elif kind == "acquisitions":
        owners = [(code, label, fill(colour, 0.45, "0.6")) for code, label, colour in PUBLIC_OWNERS]
        layer.setRenderer(categorised("acquired_by", owners + [(TRUST[0], TRUST[1], hatched(TRUST[2]))]))
    else:
        layer.setRenderer(categorised("kind", [(code, label, marker_or_fill(layer.geometryType(), colour)) for code, label, colour in ACTIVITY_KINDS]))
    return layer


def boundary_layer():
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer, QgsVectorLayer
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), BOUNDARY)
    layer = QgsVectorLayer(path, "所沢市 city boundary", "ogr")
    if not layer.isValid():
        sys.exit(f"error: cannot read {path}")
    layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "#000000", "outline_style": "dash", "outline_width": "0.6"})))
    return layer


def drop_empty_attachments(output):
    """QGIS 3.40 writes PROJECT_attachments.zip beside a .qgs with the project's own, here empty, style database; QGIS
    makes a new one when it is missing, so the project is one file to share (and nothing is left beside a test's)."""
    attachments = os.path.splitext(output)[0] + "_attachments.zip"
    if os.path.exists(attachments):
        with zipfile.ZipFile(attachments) as archive:
            only_styles = all(name.endswith("_styles.db") for name in archive.namelist())
        if only_styles:
            os.remove(attachments)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:5080", help="the service's address (its landing page)")
    parser.add_argument("--authcfg", default=None, help="id of a QGIS authentication configuration (7 letters or digits) the layers send")
    parser.add_argument("-o", "--output", default=None, help="project file (default gis-samples/registers.qgs)")
    args = parser.parse_args()
    if args.authcfg is not None and not re.fullmatch(r"[A-Za-z0-9]{7}", args.authcfg):
        parser.error("--authcfg: QGIS ids are 7 letters or digits (Settings > Options > Authentication shows them)")
    output = os.path.abspath(args.output or os.path.join(os.path.dirname(os.path.abspath(__file__)), "registers.qgs"))

    # A throw-away QGIS profile and HTTP cache: nothing is read from or written to the user's own QGIS, and no stale
    # answer of an earlier service on the same address is reused.
    scratch = tempfile.mkdtemp(prefix="registers-project-")
    atexit.register(shutil.rmtree, scratch, True)
    os.environ["XDG_CACHE_HOME"] = os.path.join(scratch, "cache")
    os.environ.setdefault("XDG_RUNTIME_DIR", scratch)  # Qt wants one (mode 0700, as mkdtemp makes it)
    from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject,
                           QgsReferencedRectangle, QgsVectorLayer)
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False, os.path.join(scratch, "profile"))
    app.initQgis()
    project = QgsProject.instance()
    project.setTitle("HabitatRegistry: 所沢市 designations, acquisitions and activities")
    metadata = project.metadata()
    metadata.setAuthor("gis-samples/make_registers_project.py")  # not the account that happened to run it
    project.setMetadata(metadata)
    project.setCrs(QgsCoordinateReferenceSystem(PROJECT_CRS))
    project.writeEntryBool("Paths", "/Absolute", False)  # the boundary is found next to the project on any clone

    # Each layer added goes on top of those before it: the boundary at the bottom as a frame, the acquisitions
    # (mostly on designated land) over the designations, and the activities' points over all.
    boundary = project.addMapLayer(boundary_layer())
    for collection, title in (("designations", "Designations (緑地保全の指定) by scheme"),
                              ("acquisitions", "Acquisitions (公有地化) by owner"),
                              ("activities", "Activities (取り組みの実績) by kind")):
        layer = QgsVectorLayer(layer_uri(args.url, collection), title, "OAPIF")
        if not layer.isValid():
            sys.exit(f"error: {args.url} does not serve the collection {collection}: is the service running there, and readable without a key?")
        styled(layer, collection)
        if args.authcfg:
            # The configuration lives in the planner's QGIS, not in this throw-away profile: the layer cannot open
            # here, but it keeps its type and style, and opens where the configuration exists.
            layer.setDataSource(layer_uri(args.url, collection, args.authcfg), title, "OAPIF")
        project.addMapLayer(layer)

    city = QgsCoordinateTransform(boundary.crs(), project.crs(), project).transformBoundingBox(boundary.extent())
    city.scale(1.05)
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(city, project.crs()))
    project.viewSettings().setPresetFullExtent(QgsReferencedRectangle(city, project.crs()))
    if not project.write(output):
        sys.exit(f"error: cannot write {output}")
    drop_empty_attachments(output)
    print(f"{output}: designations, acquisitions and activities from {args.url}"
          + (f" with the authentication configuration {args.authcfg}" if args.authcfg else "") + f", in {PROJECT_CRS}")
    shutil.rmtree(scratch, True)
    os._exit(0)  # exitQgis() can wait on the provider's download threads; the project is written


if __name__ == "__main__":
    main()
