#!/usr/bin/python3
"""Open a QGIS project as QGIS does and print ONE JSON object describing its layers: for each, whether it is
valid, its provider, the features it reads and, for a layer whose fill colour is data-defined, the colour each
feature gets (by the value of --by), so a test can check that the patches really are coloured by dPC.

Usage (Debian's python, which has the qgis module):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_project.py PROJECT.qgs [--url-from A --url-to B]
        [--by dpc] [--png map.png]

--url-from/--url-to rewrite the service address in the project before it is read (a project made for
http://127.0.0.1:5080 opened against a test server). --png renders the whole map to a file.
Exit code 0 when the project reads and every layer is valid and has features; otherwise 1.
"""

import argparse
import os

from qgis_sandbox import emit, scratch  # first: QGIS must not write under $HOME


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project")
    parser.add_argument("--url-from", default=None)
    parser.add_argument("--url-to", default=None)
    parser.add_argument("--by", default="dpc", help="the field the fill colour should follow")
    parser.add_argument("--png", default=None)
    args = parser.parse_args()

    path = args.project
    if args.url_from:
        with open(args.project, encoding="utf-8") as f:
            text = f.read().replace(args.url_from, args.url_to)
        path = os.path.join(scratch, os.path.basename(args.project))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    from qgis.core import (QgsApplication, QgsExpressionContext, QgsExpressionContextUtils, QgsMapRendererParallelJob,
                           QgsMapSettings, QgsProject, QgsRectangle, QgsSymbolLayer)
    from PyQt5.QtCore import QSize
    from PyQt5.QtGui import QColor
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False, os.path.join(scratch, "profile"))
    app.initQgis()
    project = QgsProject.instance()
    result = {"read": project.read(path), "title": project.title(), "layers": []}
    problems = [] if result["read"] else [f"QGIS cannot read {args.project}"]
    layers = []  # the valid ones, in drawing order
    for node in project.layerTreeRoot().findLayers():  # in drawing order, top first
        layer = node.layer()
        entry = {"name": layer.name(), "valid": layer.isValid(), "provider": layer.providerType(),
                 "source": layer.source(), "features": 0}
        if not layer.isValid():
            problems.append(f"layer {layer.name()} is not valid")
            result["layers"].append(entry)
            continue
        layers.append(layer)
        features = list(layer.getFeatures())
        entry["features"] = len(features)
        entry["labels"] = layer.labelsEnabled()
        if not features:
            problems.append(f"layer {layer.name()} has no features")
        symbol = layer.renderer().symbol() if hasattr(layer.renderer(), "symbol") else None
        fill = symbol.symbolLayer(0).dataDefinedProperties().property(QgsSymbolLayer.PropertyFillColor) if symbol else None
        if fill is not None and fill.isActive() and layer.fields().indexFromName(args.by) >= 0:
            context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
            fill.prepare(context)
            colours = []
            for feature in features:
                context.setFeature(feature)
                colour, _ = fill.valueAsColor(context, QColor())
                colours.append({"value": feature[args.by], "colour": colour.name(), "lightness": colour.lightnessF()})
            entry["colourBy"] = args.by
            entry["colours"] = sorted(colours, key=lambda c: c["value"])
        result["layers"].append(entry)

    if args.png:
        settings = QgsMapSettings()
        settings.setLayers(layers)
        settings.setDestinationCrs(layers[0].crs())
        extent = QgsRectangle()
        for layer in layers:
            extent.combineExtentWith(layer.extent())
        settings.setExtent(extent)
        settings.setOutputSize(QSize(900, 700))
        settings.setBackgroundColor(QColor("white"))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        result["png"] = job.renderedImage().save(args.png, "png")

    result["error"] = "; ".join(problems)
    emit(result, 0 if not problems else 1)


if __name__ == "__main__":
    main()
