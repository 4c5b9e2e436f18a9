"""The sandbox the QGIS client scripts run in; import it before qgis.

Everything QGIS/Qt would write under $HOME goes to a throw-away directory: settings, the profile and, above all,
the HTTP disk cache (QGIS 3.22 keeps it in QStandardPaths::CacheLocation, i.e. ~/.cache, and opens layers with
"prefer cache", so a later run against a new database on the same port could otherwise be answered with a stale
landing page, collection or numberMatched). emit() prints a script's single JSON result and exits at once.
"""

import atexit
import json
import os
import shutil
import sys
import tempfile
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
scratch = tempfile.mkdtemp(prefix="qgis-client-")
for _var, _sub in (("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config"),
                   ("XDG_DATA_HOME", "data"), ("XDG_RUNTIME_DIR", "runtime"),
                   ("TMPDIR", "tmp")):  # Qt's qt_temp-* and qipc_* files
    os.makedirs(os.path.join(scratch, _sub), mode=0o700)
    os.environ[_var] = os.path.join(scratch, _sub)
atexit.register(shutil.rmtree, scratch, True)  # argparse exits, exceptions

_stdout_lock = threading.Lock()
_printed = False


def emit(obj, code):
    """Print the single JSON result (once, whichever thread gets here first) and exit (os._exit: QGIS threads may hang)."""
    global _printed
    with _stdout_lock:
        if not _printed:
            _printed = True
            sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
            sys.stdout.flush()
    sys.stderr.flush()
    shutil.rmtree(scratch, ignore_errors=True)
    os._exit(code)
