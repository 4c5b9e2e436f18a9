#!/usr/bin/python3
"""Writes a QGIS project that shows one species group's ecological network as HabitatRegistry serves it
(OGC API - Features): the patches coloured by dPC (the darker, the more of the network's connectivity is
lost without the patch; the five most important are labelled), the links drawn thicker the likelier they
are, and the components outlined.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 gis-samples/make_network_project.py \\
        [--url http://127.0.0.1:5080] [--profile small-mammals] [-o gis-samples/network-small-mammals.qgs]

Open the project in QGIS (Project > Open) while the service runs. The colours scale with the largest dPC
in the data, so the project stays right after new imports; run this again for another profile or address.
Needs a Python with QGIS's own module (Debian: /usr/bin/python3 with python3-qgis; QGIS 3.22 or later).
"""
import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Pale yellow to dark red over the square root of dPC / the largest dPC: dPC is very skewed (a few patches hold
# most of the network), so a linear scale would leave almost every patch the palest colour.
PATCH_COLOUR = ("ramp_color(create_ramp(map(0, '#ffffcc', 0.5, '#fd8d3c', 1, '#800026')), "
                "scale_exp(\"dpc\", 0, maximum(\"dpc\"), 0, 1, 0.5))")
PATCH_LABEL = "CASE WHEN \"rank\" <= 5 THEN \"patch_id\" || '  ' || format_number(\"dpc\", 1) || ' %' END"
LINK_WIDTH = "0.15 + 0.85 * \"probability\""  # mm


def layer_uri(url, collection):
    from qgis.core import QgsDataSourceUri
    uri = QgsDataSourceUri()
    uri.setParam("url", url.rstrip("/"))
    uri.setParam("typename", collection)
    uri.setParam("pagingEnabled", "true")
    uri.setParam("pageSize", "1000")
    return uri.uri(False)


def styled(layer, kind):
    from qgis.core import (QgsFillSymbol, QgsLineSymbol, QgsPalLayerSettings, QgsProperty, QgsSingleSymbolRenderer,
                           QgsSymbolLayer, QgsTextFormat, QgsVectorLayerSimpleLabeling)
    if kind == "patches":
        symbol = QgsFillSymbol.createSimple({"color": "#fd8d3c", "outline_color": "#4d4d4d", "outline_width": "0.2"})
        symbol.symbolLayer(0).setDataDefinedProperty(QgsSymbolLayer.PropertyFillColor, QgsProperty.fromExpression(PATCH_COLOUR))
        labels = QgsPalLayerSettings()
        labels.isExpression = True
        labels.fieldName = PATCH_LABEL
        text = QgsTextFormat()
        text.setSize(9)
        labels.setFormat(text)
        layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))
        layer.setLabelsEnabled(True)
    elif kind == "links":
        symbol = QgsLineSymbol.createSimple({"color": "#3182bd", "width": "0.4"})
        symbol.symbolLayer(0).setDataDefinedProperty(QgsSymbolLayer.PropertyStrokeWidth, QgsProperty.fromExpression(LINK_WIDTH))
    else:
        symbol = QgsFillSymbol.createSimple({"style": "no", "outline_color": "#7f7f7f", "outline_style": "dash", "outline_width": "0.4"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:5080", help="the service's address (its landing page)")
    parser.add_argument("--profile", default="small-mammals", help="species-group profile (GET /network/profiles)")
    parser.add_argument("-o", "--output", default=None, help="project file (default gis-samples/network-PROFILE.qgs)")
    args = parser.parse_args()
    output = args.output or os.path.join(os.path.dirname(os.path.abspath(__file__)), f"network-{args.profile}.qgs")

    from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    project.setTitle(f"Ecological network, {args.profile} (HabitatRegistry)")
    # Each layer added goes on top of those before it: patches last, so that they are drawn over the links.
    for kind, title in (("components", "Components"), ("links", "Links"), ("patches", "Patches by dPC")):
        collection = f"network-{kind}-{args.profile}"
        layer = QgsVectorLayer(layer_uri(args.url, collection), f"{title} ({args.profile})", "OAPIF")
        if not layer.isValid():
            sys.exit(f"error: {args.url} does not serve the collection {collection}: is the service running there, "
                     "and is there such a profile (GET /network/profiles)?")
        project.addMapLayer(styled(layer, kind))
    if not project.write(output):
        sys.exit(f"error: cannot write {output}")
    print(f"{output}: patches coloured by dPC, links and components of {args.profile} from {args.url}")
    os._exit(0)  # exitQgis() can wait on the provider's download threads; the project is written


if __name__ == "__main__":
    main()
