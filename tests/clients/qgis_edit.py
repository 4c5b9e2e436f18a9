#!/usr/bin/python3
"""Edit a register through QGIS's own OAPIF provider, as a planner does in QGIS (OGC API - Features Part 4), and print
ONE JSON object saying what QGIS offered, what it sent and whether each edit was committed.

    HABITAT_KEY=<editor key> QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_edit.py BASE_URL COLLECTION \
        --add-id D-QGIS-1 --add-at 139.45,35.79 --rename ID NAME --move ID --delete ID [--srs EPSG:6677]

The key goes in a QGIS "Basic" authentication configuration, as a planner would store it. With --srs the layer is
opened in that system (the provider's srsname), so QGIS reads and writes coordinates in it (Content-Crs). The edits,
each committed on its own: add a square parcel of about 40 m at --add-at (lon,lat), change the name of --rename,
move the first vertex of --move north (10 m in a projected layer, 10 / 111,320 degrees in a lon/lat one), delete --delete. Exit 0 when every edit was committed, else 1.
"""

import argparse
import json
import os
import sys
import threading

from qgis_sandbox import emit, scratch  # first: QGIS must not write under $HOME
from qgis_oapif import basic_auth_config, build_uri


def main():
    p = argparse.ArgumentParser()
    p.add_argument("base_url")
    p.add_argument("collection")
    p.add_argument("--srs", default=None, help="open the layer in this system, e.g. EPSG:6677")
    p.add_argument("--add-id", required=True)
    p.add_argument("--add-at", required=True, help="lon,lat of the new parcel's south-west corner")
    p.add_argument("--rename", nargs=2, metavar=("ID", "NAME"), required=True)
    p.add_argument("--move", required=True)
    p.add_argument("--delete", required=True)
    p.add_argument("--timeout", type=float, default=120.0)
    args = p.parse_args()
    result = {"valid": False, "crs": None, "capabilities": {}, "edits": {}, "requests": [], "errors": []}

    def on_timeout():
        result["errors"].append(f"timeout after {args.timeout} s")
        emit(result, 3)

    timer = threading.Timer(args.timeout, on_timeout)
    timer.daemon = True
    timer.start()

    from PyQt5.QtCore import QDate
    from PyQt5.QtNetwork import QNetworkAccessManager, QNetworkRequest
    from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeature, QgsGeometry,
                           QgsNetworkAccessManager, QgsNetworkReplyContent, QgsNetworkRequestParameters, QgsPointXY, QgsProject,
                           QgsVectorDataProvider, QgsVectorLayer)

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False, os.path.join(scratch, "profile"))
    app.initQgis()

    operations = {QNetworkAccessManager.GetOperation: "GET", QNetworkAccessManager.PutOperation: "PUT",
                  QNetworkAccessManager.PostOperation: "POST", QNetworkAccessManager.DeleteOperation: "DELETE",
                  QNetworkAccessManager.HeadOperation: "HEAD"}
    by_id = {}

    def on_request(params):
        request = params.request()
        verb = operations.get(params.operation())
        if verb is None:  # a custom verb: PATCH, OPTIONS
            verb = bytes(request.attribute(QNetworkRequest.CustomVerbAttribute) or b"?").decode()
        entry = {"method": verb, "url": request.url().toString(), "status": None,
                 "contentCrs": bytes(request.rawHeader(b"Content-Crs")).decode() or None}
        by_id[params.requestId()] = entry
        result["requests"].append(entry)

    def on_finished(reply):
        entry = by_id.get(reply.requestId())
        if entry is not None:
            entry["status"] = reply.attribute(QNetworkRequest.HttpStatusCodeAttribute)

    nam = QgsNetworkAccessManager.instance()
    nam.requestAboutToBeCreated[QgsNetworkRequestParameters].connect(on_request)
    nam.finished[QgsNetworkReplyContent].connect(on_finished)

    authcfg = basic_auth_config(os.environ["HABITAT_KEY"])
    uri = build_uri(args.base_url, args.collection, 0, authcfg=authcfg)
    if args.srs:
        uri += f" srsname='{args.srs}'"
    layer = QgsVectorLayer(uri, args.collection, "OAPIF")
    result["valid"] = layer.isValid()
    if not layer.isValid():
        result["errors"].append("the layer is not valid")
        emit(result, 1)
    result["crs"] = layer.crs().authid()
    caps = layer.dataProvider().capabilities()
    for name in ("AddFeatures", "ChangeAttributeValues", "ChangeGeometries", "DeleteFeatures"):
        result["capabilities"][name] = bool(caps & getattr(QgsVectorDataProvider, name))

    fields = layer.fields()
    to_layer = QgsCoordinateTransform(QgsCoordinateReferenceSystem("OGC:CRS84"), layer.crs(), QgsProject.instance())

    def find(record_id):
        for feature in layer.getFeatures():
            if feature["parcel_id"] == record_id:
                return feature
        raise RuntimeError(f"{record_id} is not in the layer")

    def commit(name, edit):
        layer.startEditing()
        try:
            done = edit()
        except Exception as e:  # a failed edit is reported, not a crash of the script
            done, errors = False, [str(e)]
            layer.rollBack()
        else:
            committed = layer.commitChanges()
            errors = [] if committed else layer.commitErrors()
            if not committed:
                layer.rollBack()
            done = done and committed
        result["edits"][name] = {"committed": bool(done), "errors": errors}

    def add():
        lon, lat = (float(v) for v in args.add_at.split(","))
        corners = [(lon, lat), (lon + 0.0004, lat), (lon + 0.0004, lat + 0.00036), (lon, lat + 0.00036), (lon, lat)]
        ring = [to_layer.transform(QgsPointXY(x, y)) for x, y in corners]
        feature = QgsFeature(fields)
        feature.setGeometry(QgsGeometry.fromPolygonXY([ring]))
        feature["parcel_id"] = args.add_id
        feature["scheme"] = "citizen_green_space"
        feature["designated_on"] = QDate(2026, 4, 1)
        feature["name"] = "QGISで追加した市民緑地"
        return layer.addFeature(feature)

    def rename():
        feature = find(args.rename[0])
        return layer.changeAttributeValue(feature.id(), fields.indexFromName("name"), args.rename[1])

    def move():
        feature = find(args.move)
        geometry = QgsGeometry(feature.geometry())
        vertex = geometry.vertexAt(0)
        north = 10.0 / 111_320 if layer.crs().isGeographic() else 10.0
        # Official axis order is QGIS's business: in its own coordinates y is always north.
        geometry.moveVertex(vertex.x(), vertex.y() + north, 0)
        result["moved"] = {"from": [vertex.x(), vertex.y()], "to": [vertex.x(), vertex.y() + north]}
        return layer.changeGeometry(feature.id(), geometry)

    def delete():
        return layer.deleteFeature(find(args.delete).id())

    for name, edit in (("add", add), ("rename", rename), ("move", move), ("delete", delete)):
        commit(name, edit)
    app.processEvents()
    ok = all(e["committed"] for e in result["edits"].values()) and all(result["capabilities"].values())
    emit(result, 0 if ok else 1)


if __name__ == "__main__":
    sys.exit(main())
