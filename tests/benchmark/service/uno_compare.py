"""LibreOffice's own Compare Document, run headless through UNO, timed.

Run with the system interpreter that has python3-uno (/usr/bin/python3). Starts one soffice with
its own profile and a named pipe, optionally loads and closes WARMUP (so Writer's libraries are
loaded, as in a warm pool), then loads the RIGHT (newer) document hidden, dispatches
.uno:CompareDocuments with the LEFT document's URL (as Writer's Edit > Track Changes > Compare
Document does), and prints one JSON line {"load_s", "compare_s", "total_s", "redlines"}.
One comparison per soffice process: LibreOffice 7.4 crashes on a second comparison in the
same process.

    /usr/bin/python3 uno_compare.py LEFT RIGHT [WARMUP] [SOFFICE]
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def main():
    left, right = sys.argv[1], sys.argv[2]
    warmup = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
    soffice = sys.argv[4] if len(sys.argv) > 4 else "soffice"
    profile = tempfile.mkdtemp(prefix="redline-bench-uno-")
    pipe = "redline-bench-" + uuid.uuid4().hex[:8]
    launched = time.monotonic()
    proc = subprocess.Popen(
        [soffice, "-env:UserInstallation=" + uno.systemPathToFileUrl(profile), "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", "--nolockcheck", "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        deadline = time.monotonic() + 120
        while ctx is None:
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            except Exception:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        start_s = time.monotonic() - launched
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        if warmup:  # load and close a small document first, so Writer is warm as in a pool
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(warmup)), "_blank", 0, (prop("Hidden", True),))
            doc.close(True)
        t0 = time.monotonic()
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(right)), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            raise SystemExit("LibreOffice could not load " + right)
        t1 = time.monotonic()
        frame = doc.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, ".uno:CompareDocuments", "", 0,
                                   (prop("URL", uno.systemPathToFileUrl(os.path.abspath(left))),))
        t2 = time.monotonic()
        redlines = doc.getRedlines().getCount()
        doc.close(True)
        print(json.dumps({"load_s": t1 - t0, "compare_s": t2 - t1, "total_s": t2 - t0, "start_s": start_s, "redlines": redlines}), flush=True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        try:  # soffice is a wrapper: stop the whole session it started (soffice.bin included)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
