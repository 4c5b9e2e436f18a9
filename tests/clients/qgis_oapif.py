#!/usr/bin/python3
"""Load an OGC API - Features collection through QGIS's own "OAPIF" provider
(the provider behind the "WFS / OGC API - Features" connection dialog) and
print ONE JSON object describing what QGIS made of it.

Usage (Debian's python, which has the qgis module; not a venv python):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_oapif.py BASE_URL COLLECTION \
        [--page-size N] [--bbox minx,miny,maxx,maxy] [--subset EXPR]
        [--expect-count N] [--expect-subset-count N] [--timeout S]

Exit code 0 when the layer is valid, the number of features fetched by
iterating getFeatures() equals layer.featureCount() (the server's
numberMatched), no request QGIS made failed (HTTP >= 400 or network error),
and - with --bbox - a second layer with restrictToRequestBBOX=1 sent bbox=...
and got some but fewer features than the whole collection (plus the
--expect-* checks). Otherwise 1. A hang (for example a
`next` link that never ends) is cut off after --timeout seconds with exit
code 3 and a JSON object with "error": "timeout".

With the environment variable HABITAT_KEY set, QGIS sends it as a user would:
through a "Basic" authentication configuration (any user name, the key as
password) in QGIS's own authentication database.
"""

import argparse
import faulthandler
import json
import os
import threading
import urllib.parse
import urllib.request

from qgis_sandbox import emit, scratch  # first: QGIS must not write under $HOME


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("base_url", help="landing page URL of the API, e.g. http://127.0.0.1:5080")
    p.add_argument("collection", help="collection id, e.g. designations")
    p.add_argument("--page-size", type=int, default=0,
                   help="pageSize for the provider (limit=N on each items request); 0 = provider default")
    p.add_argument("--bbox", default=None, help="minx,miny,maxx,maxy (CRS84) for a filter-rect iteration")
    p.add_argument("--subset", default=None,
                   help='provider filter (QGIS expression), e.g. "scheme" = \'preserved_woodland\'; '
                        'QGIS 3.22 turns comparisons on Date/DateTime fields into datetime=...')
    p.add_argument("--expect-subset-count", type=int, default=None)
    p.add_argument("--expect-count", type=int, default=None, help="fail unless featureCount equals this")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds before giving up (default 120)")
    p.add_argument("--samples", type=int, default=5, help="how many id values to report")
    p.add_argument("--id-field", default="parcel_id", help="the field that identifies a feature (default parcel_id)")
    p.add_argument("--srs", default=None, help="open the layer in this system (the provider's srsname), e.g. EPSG:6677")
    return p.parse_args()


def basic_auth_config(key):
    """A QGIS "Basic" authentication configuration holding the key as its password; returns its id."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig
    manager = QgsApplication.authManager()
    # A new profile's authentication database is locked by a master password the user would choose.
    if not manager.setMasterPassword("habitat-test-master", True):
        raise RuntimeError("QGIS's authentication database could not be unlocked")
    config = QgsAuthMethodConfig("Basic")
    config.setName("HabitatRegistry")
    config.setConfig("username", "qgis")
    config.setConfig("password", key)
    # The configuration is an in-out argument: PyQGIS returns (stored, config) or, in some versions, only stored.
    stored = manager.storeAuthenticationConfig(config)
    ok, config = stored if isinstance(stored, tuple) else (stored, config)
    if not ok or not config.id():
        raise RuntimeError("QGIS could not store the authentication configuration")
    return config.id()


def build_uri(base_url, collection, page_size, restrict_to_bbox=False, authcfg=None):
    # Keys from QgsWFSConstants (QGIS 3.22): url, typename, pagingEnabled,
    # pageSize, maxNumFeatures, restrictToRequestBBOX, hideDownloadProgressDialog.
    # The OAPIF provider treats `url` as the landing page; a query string on it
    # would be appended to every request.
    from qgis.core import QgsDataSourceUri
    uri = QgsDataSourceUri()
    uri.setParam("url", base_url.rstrip("/"))
    uri.setParam("typename", collection)
    uri.setParam("pagingEnabled", "true")
    if page_size > 0:
        uri.setParam("pageSize", str(page_size))
    # No GUI: never let the downloader try to pop up a progress dialog.
    uri.setParam("hideDownloadProgressDialog", "true")
    if restrict_to_bbox:
        # "Only request features overlapping the view extent": without it the
        # provider downloads everything and filters the rect client-side.
        uri.setParam("restrictToRequestBBOX", "1")
    if authcfg:
        uri.setAuthConfigId(authcfg)
    return uri.uri(False)


def format_request(r):
    """'phase: GET url -> status' (plus '(cache)' when QGIS served it from its HTTP cache)."""
    tail = f" -> {r['status']}" if r["status"] is not None else ""
    if r["fromCache"]:
        tail += " (cache)"
    return f"{r['phase']}: GET {r['url']}{tail}"


def server_number_matched(base_url, collection, bbox):
    """numberMatched straight from the server (plain HTTP, not QGIS) for comparison."""
    q = urllib.parse.urlencode({"limit": 1, "bbox": bbox})
    url = f"{base_url.rstrip('/')}/collections/{urllib.parse.quote(collection)}/items?{q}"
    request = urllib.request.Request(url)
    if os.environ.get("HABITAT_KEY"):
        request.add_header("Authorization", "Bearer " + os.environ["HABITAT_KEY"])
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return json.loads(r.read().decode("utf-8")).get("numberMatched")
    except Exception as ex:  # noqa: BLE001 - report, do not fail the run on this
        return f"error: {ex}"


def main():
    args = parse_args()
    result = {
        "valid": False,
        "error": "",
        "uri": None,
        "featureCount": None,
        "iterated": None,
        "fields": [],
        "fieldTypes": {},
        "geometryType": None,
        "crs": None,
        "extent": None,
        "sampleIds": [],
        "requests": [],
        "failedRequests": [],
        "messages": [],
    }

    def on_timeout():
        result["error"] = f"timeout: no result after {args.timeout} s (paging loop or hung request?)"
        result["requests"] = [format_request(r) for r in requests]
        emit(result, 3)

    requests = []
    timer = threading.Timer(args.timeout, on_timeout)
    timer.daemon = True
    timer.start()
    # Backstop in case the Python timer cannot get the GIL: dump stacks and exit(1).
    faulthandler.dump_traceback_later(args.timeout + 15, exit=True)

    from PyQt5.QtNetwork import QNetworkRequest
    from qgis.core import (QgsApplication, QgsFeatureRequest, QgsNetworkAccessManager,
                           QgsNetworkReplyContent, QgsNetworkRequestParameters,
                           QgsProviderRegistry, QgsRectangle, QgsVectorLayer, QgsWkbTypes)

    QgsApplication.setPrefixPath("/usr", True)
    profile = os.path.join(scratch, "profile")
    app = QgsApplication([], False, profile)
    app.initQgis()

    if "OAPIF" not in QgsProviderRegistry.instance().providerList():
        result["error"] = "the OAPIF provider is not available"
        emit(result, 1)

    # Every request QGIS makes, from any thread (QGIS propagates the signals
    # of per-thread managers to the main-thread instance). Both signals are
    # overloaded in 3.22; the QgsNetwork* overloads must be picked explicitly.
    nam = QgsNetworkAccessManager.instance()
    phase = {"name": "open"}

    by_id = {}

    def on_request(params):
        entry = {"phase": phase["name"], "url": params.request().url().toString(), "status": None, "fromCache": None}
        by_id[params.requestId()] = entry
        requests.append(entry)

    def on_finished(reply):
        status = reply.attribute(QNetworkRequest.HttpStatusCodeAttribute)
        entry = by_id.get(reply.requestId())
        if entry is not None:
            entry["status"] = status
            # QGIS opens layers with "prefer cache": repeated landing page /
            # API / collection requests may never reach the server.
            entry["fromCache"] = bool(reply.attribute(QNetworkRequest.SourceIsFromCacheAttribute))
        if reply.error() != 0 or (status is not None and int(status) >= 400):
            result["failedRequests"].append({
                "url": reply.request().url().toString(),
                "httpStatus": status,
                "error": reply.errorString(),
            })

    nam.requestAboutToBeCreated[QgsNetworkRequestParameters].connect(on_request)
    nam.finished[QgsNetworkReplyContent].connect(on_finished)

    def on_message(message, tag, level):
        result["messages"].append({"tag": tag, "level": int(level), "message": message})

    QgsApplication.messageLog().messageReceived.connect(on_message)

    authcfg = basic_auth_config(os.environ["HABITAT_KEY"]) if os.environ.get("HABITAT_KEY") else None
    uri = build_uri(args.base_url, args.collection, args.page_size, authcfg=authcfg)
    if args.srs:
        uri += f" srsname='{args.srs}'"
    result["uri"] = uri

    layer = QgsVectorLayer(uri, args.collection, "OAPIF")
    result["valid"] = layer.isValid()
    if not layer.isValid():
        err = layer.error()
        # QgsError.message() crashes on an empty error in 3.22: check first.
        if not err.isEmpty():
            result["error"] = err.summary()
        else:
            result["error"] = "layer is not valid"
        app.processEvents()
        if result["messages"]:
            result["error"] += ": " + " | ".join(m["message"] for m in result["messages"])
        result["requests"] = [format_request(r) for r in requests]
        emit(result, 1)

    result["featureCount"] = layer.featureCount()
    result["fields"] = [f.name() for f in layer.fields()]
    result["fieldTypes"] = {f.name(): f.typeName() for f in layer.fields()}
    result["geometryType"] = QgsWkbTypes.displayString(layer.wkbType())
    result["crs"] = layer.crs().authid()

    app.processEvents()  # deliver the queued request signals of this phase
    phase["name"] = "iterate"
    iterated = 0
    ids = []
    seen_ids = set()
    pid_idx = layer.fields().indexFromName(args.id_field)
    empty_geom = 0
    for f in layer.getFeatures():
        iterated += 1
        if pid_idx >= 0:
            v = f.attribute(pid_idx)
            seen_ids.add(v)
            if len(ids) < args.samples:
                ids.append(v)
                if f.hasGeometry():  # in the layer's CRS, x east and y north whatever the axis order on the wire
                    first = f.geometry().vertexAt(0)
                    result.setdefault("firstVertices", {})[str(v)] = [first.x(), first.y()]
        if not f.hasGeometry() or f.geometry().isEmpty():
            empty_geom += 1
    result["iterated"] = iterated
    result["distinctParcelIds"] = len(seen_ids) if pid_idx >= 0 else None
    result["featuresWithoutGeometry"] = empty_geom
    result["sampleIds"] = ids
    ext = layer.extent()
    result["extent"] = None if ext.isNull() else [ext.xMinimum(), ext.yMinimum(), ext.xMaximum(), ext.yMaximum()]
    # featureCount after the full download (the provider may update it).
    result["featureCountAfterIteration"] = layer.featureCount()

    ok = iterated == result["featureCount"] and iterated > 0
    problems = []
    if not ok:
        problems.append(f"iterated {iterated} features but featureCount is {result['featureCount']}")
    if pid_idx < 0:
        problems.append(f"no {args.id_field} field")

    if args.bbox:
        try:
            minx, miny, maxx, maxy = (float(v) for v in args.bbox.split(","))
        except ValueError:
            result["error"] = f"bad --bbox {args.bbox!r}"
            emit(result, 1)
        # A second layer, with restrictToRequestBBOX=1 and no cache yet, so
        # the provider must send bbox=... to the server.
        app.processEvents()
        phase["name"] = "bbox"
        buri = build_uri(args.base_url, args.collection, args.page_size, restrict_to_bbox=True, authcfg=authcfg)
        result["bboxUri"] = buri
        blayer = QgsVectorLayer(buri, args.collection + "_bbox", "OAPIF")
        if not blayer.isValid():
            problems.append("bbox layer is not valid")
        req = QgsFeatureRequest().setFilterRect(QgsRectangle(minx, miny, maxx, maxy))
        bids = []
        for f in blayer.getFeatures(req):
            bids.append(f.attribute(args.id_field))
        result["bboxIterated"] = len(bids)
        result["bboxIds"] = sorted(str(v) for v in bids)
        # Client-side filtering of the first, fully loaded layer (what QGIS
        # does by default, without restrictToRequestBBOX).
        app.processEvents()
        phase["name"] = "bbox-cache"
        result["bboxIteratedFromCache"] = sum(1 for _ in layer.getFeatures(
            QgsFeatureRequest().setFilterRect(QgsRectangle(minx, miny, maxx, maxy))))
        result["bboxNumberMatched"] = server_number_matched(args.base_url, args.collection, args.bbox)
        if not (0 < len(bids) < iterated):
            problems.append(f"bbox iteration returned {len(bids)} of {iterated} features")
        app.processEvents()
        if not any(r["phase"] == "bbox" and "bbox=" in r["url"] for r in requests):
            problems.append("QGIS sent no bbox= request")

    if args.subset:
        # A third layer with a provider-side filter (Layer Properties >
        # Source > Provider Feature Filter, i.e. setSubsetString).
        app.processEvents()
        phase["name"] = "subset"
        slayer = QgsVectorLayer(uri, args.collection + "_subset", "OAPIF")
        result["subset"] = args.subset
        result["subsetAccepted"] = slayer.setSubsetString(args.subset)
        sids = sorted(str(f.attribute(args.id_field)) for f in slayer.getFeatures())
        result["subsetIterated"] = len(sids)
        result["subsetIds"] = sids
        app.processEvents()
        if not result["subsetAccepted"]:
            problems.append("QGIS rejected the subset string")
        if args.expect_subset_count is not None and len(sids) != args.expect_subset_count:
            problems.append(f"subset returned {len(sids)} features, expected {args.expect_subset_count}")

    if args.expect_count is not None and result["featureCount"] != args.expect_count:
        problems.append(f"featureCount {result['featureCount']} != expected {args.expect_count}")

    app.processEvents()
    result["requests"] = [format_request(r) for r in requests]
    if result["failedRequests"]:
        problems.append(f"{len(result['failedRequests'])} request(s) failed")
    result["error"] = "; ".join(problems)
    timer.cancel()
    faulthandler.cancel_dump_traceback_later()
    code = 0 if not problems else 1
    # exitQgis() can block on provider threads; the result is what matters.
    try:
        del layer
        app.exitQgis()
    except Exception:  # noqa: BLE001
        pass
    emit(result, code)


if __name__ == "__main__":
    main()
