#!/usr/bin/python3
"""Open a QGIS project as QGIS does and print ONE JSON object describing its layers: for each, whether it is
valid, its provider, the features it reads and, for a layer whose fill colour is data-defined, the colour each
feature gets (by the value of --by), so a test can check that the patches really are coloured by dPC. A
categorised layer also lists its categories (value, legend label, colour, symbol layers) and how many features
no category draws.

Usage (Debian's python, which has the qgis module):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_project.py PROJECT.qgs [--url-from A --url-to B]
        [--by dpc] [--authcfg ID] [--png map.png]

--url-from/--url-to rewrite the service address in the layers' sources as the project is read (a project made
for http://127.0.0.1:5080 opened against a test server; files next to the project are still found). --authcfg
with HABITAT_KEY in the environment first stores a Basic authentication configuration with that id (any user
name, the key as password) in the run's own QGIS profile, as a planner would. --png renders the map to a file.
Exit code 0 when the project reads and every layer is valid and has features; otherwise 1.
"""

import argparse
import os

from qgis_sandbox import emit, scratch  # first: QGIS must not write under $HOME


def store_basic_config(config_id, key):
    """A "Basic" authentication configuration with the given id, any user name and the key as password."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig
    manager = QgsApplication.authManager()
    if not manager.setMasterPassword("habitat-test-master", True):  # a new profile's database is locked by one
        raise RuntimeError("QGIS's authentication database could not be unlocked")
    config = QgsAuthMethodConfig("Basic")
    config.setId(config_id)
    config.setName("HabitatRegistry")
    config.setConfig("username", "qgis")
    config.setConfig("password", key)
    stored = manager.storeAuthenticationConfig(config)
    if not (stored[0] if isinstance(stored, tuple) else stored):
        raise RuntimeError(f"QGIS could not store the authentication configuration {config_id}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project")
    parser.add_argument("--url-from", default=None)
    parser.add_argument("--url-to", default=None)
    parser.add_argument("--by", default="dpc", help="the field the fill colour should follow")
    parser.add_argument("--authcfg", default=None, help="store HABITAT_KEY as this Basic authentication configuration first")
    parser.add_argument("--png", default=None)
    args = parser.parse_args()

    from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsCoordinateReferenceSystem, QgsCoordinateTransform,
                           QgsExpressionContext, QgsExpressionContextUtils, QgsMapRendererParallelJob, QgsMapSettings,
                           QgsPathResolver, QgsProject, QgsRectangle, QgsSymbolLayer, QgsWkbTypes)
    from PyQt5.QtCore import QSize
    from PyQt5.QtGui import QColor
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False, os.path.join(scratch, "profile"))
    app.initQgis()
    if args.url_from:
        # Rewritten as each source is read, so the project stays where it is and its relative file paths resolve.
        QgsPathResolver.setPathPreprocessor(lambda source: source.replace(args.url_from, args.url_to))
    if args.authcfg:
        store_basic_config(args.authcfg, os.environ["HABITAT_KEY"])
    project = QgsProject.instance()
    result = {"read": project.read(args.project), "title": project.title(), "crs": project.crs().authid(), "layers": []}
    view = project.viewSettings().defaultViewExtent()
    if not view.isNull():  # where the project opens, as lon/lat
        box = QgsCoordinateTransform(view.crs(), QgsCoordinateReferenceSystem("EPSG:4326"), project).transformBoundingBox(view)
        result["viewExtent"] = [box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()]
    problems = [] if result["read"] else [f"QGIS cannot read {args.project}"]
    layers = []  # the valid ones, in drawing order
    for node in project.layerTreeRoot().findLayers():  # in drawing order, top first
        layer = node.layer()
        if layer is None:  # QGIS did not even make the layer (e.g. its authcfg is not on this machine)
            problems.append(f"layer {node.name()} was not loaded")
            result["layers"].append({"name": node.name(), "valid": False, "loaded": False, "features": 0})
            continue
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
        entry["geometryType"] = QgsWkbTypes.geometryDisplayString(layer.geometryType())
        entry["featuresWithGeometry"] = sum(1 for feature in features if feature.hasGeometry())
        if not features:
            problems.append(f"layer {layer.name()} has no features")
        renderer = layer.renderer()
        entry["renderer"] = renderer.type()
        if isinstance(renderer, QgsCategorizedSymbolRenderer):
            entry["classifiedBy"] = renderer.classAttribute()
            entry["categories"] = [{"value": c.value(), "label": c.label(), "colour": c.symbol().color().name(),
                                    "symbolLayers": [c.symbol().symbolLayer(i).layerType() for i in range(c.symbol().symbolLayerCount())]}
                                   for c in renderer.categories()]
            values = {c.value() for c in renderer.categories()}
            entry["uncategorised"] = sum(1 for feature in features if feature[renderer.classAttribute()] not in values)
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
        view = project.viewSettings().defaultViewExtent()
        if not view.isNull():  # the project's own opening view
            settings.setDestinationCrs(view.crs())
            settings.setExtent(view)
        else:
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
